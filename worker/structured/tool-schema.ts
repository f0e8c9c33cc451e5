// Tool calls for every model by constrained decoding: the answer is JSON, either
// `{ "content": … }` or one call `{ "tool_calls": [{ "name", "arguments" }] }`, with each tool's
// parameters as the schema of its arguments. No chat template or model-specific format needed.
import { LlamaChatError } from '../../protocol/errors.js';
import type { ChatTool, JsonSchema, ToolChoice } from '../../protocol/types.js';
import { checkSchemaSupported } from './schema-support.js';

const NO_PARAMETERS: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

/** The tools offered in this answer (after tool_choice), and the schema the answer must match. */
export interface ToolPlan {
  tools: ChatTool[];
  /** May the model answer in words instead of calling? */
  mayAnswer: boolean;
  schema: JsonSchema;
}

/** Checks `tools` and `choice` (bad-input before anything is generated) and plans the answer. */
export function planTools(tools: readonly ChatTool[], choice: ToolChoice | undefined, contentSchema: JsonSchema): ToolPlan | undefined {
  const names = new Set<string>();
  for (const [i, tool] of tools.entries()) {
    const name = tool?.type === 'function' ? tool.function?.name : undefined;
    if (typeof name !== 'string' || !/^[\w-]{1,64}$/.test(name)) {
      throw new LlamaChatError(
        'bad-input',
        `tools[${i}] needs { type: "function", function: { name } } with a name of letters, digits, "_" or "-".`,
      );
    }
    if (names.has(name)) throw new LlamaChatError('bad-input', `Two tools are named "${name}"; tool names must differ.`);
    names.add(name);
    checkSchemaSupported(tool.function.parameters ?? NO_PARAMETERS, `the parameters of tool "${name}"`);
  }
  if (choice === 'none' || tools.length === 0) return undefined;
  let offered = [...tools];
  if (typeof choice === 'object') {
    offered = tools.filter((t) => t.function.name === choice.function?.name);
    if (offered.length === 0) throw new LlamaChatError('bad-input', `tool_choice names "${choice.function?.name}", which is not in tools.`);
  } else if (choice !== undefined && choice !== 'auto' && choice !== 'required') {
    throw new LlamaChatError('bad-input', `tool_choice must be "none", "auto", "required" or { type: "function", function: { name } }.`);
  }
  const mayAnswer = choice === undefined || choice === 'auto';
  const call = {
    type: 'object',
    properties: {
      tool_calls: {
        type: 'array',
        minItems: 1,
        maxItems: 1,
        items: { anyOf: offered.map(callSchema) },
      },
    },
    required: ['tool_calls'],
    additionalProperties: false,
  };
  const answer = { type: 'object', properties: { content: contentSchema }, required: ['content'], additionalProperties: false };
  return { tools: offered, mayAnswer, schema: mayAnswer ? { anyOf: [answer, call] } : call };
}

function callSchema(tool: ChatTool): JsonSchema {
  return {
    type: 'object',
    properties: { name: { const: tool.function.name }, arguments: tool.function.parameters ?? NO_PARAMETERS },
    required: ['name', 'arguments'],
    additionalProperties: false,
  };
}

/** What the model is told: the tools, and how to answer (short: it takes room in the context). */
export function toolInstructions(plan: ToolPlan): string {
  const list = plan.tools
    .map(
      (t) =>
        `- ${t.function.name}${t.function.description ? `: ${t.function.description}` : ''} Arguments: ${JSON.stringify(t.function.parameters ?? NO_PARAMETERS)}`,
    )
    .join('\n');
  const answer = plan.mayAnswer ? ', or {"content": "<answer>"} to answer directly' : '';
  return `Tools:\n${list}\nAnswer {"tool_calls": [{"name": "<tool>", "arguments": {…}}]} to call one${answer}.`;
}
