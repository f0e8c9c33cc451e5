// response_format and tools on top of any engine: the request is checked and planned before
// anything is generated (bad-input names what cannot be done), the engine decodes under the
// schema, and the finished answer is validated here, then turned into OpenAI's shapes.
import { LlamaChatError } from '../../protocol/errors.js';
import type { ChatCompletionChunk, ChatCompletionRequest, FinishReason, JsonSchema, ToolCall } from '../../protocol/types.js';
import { chunkBuilder } from '../engines/chunks.js';
import type { ChunkSink, EngineRequest, LoadedModel } from '../engines/engine.js';
import { partialContent } from './partial-content.js';
import { checkSchemaSupported } from './schema-support.js';
import { planTools, toolInstructions, type ToolPlan } from './tool-schema.js';
import { plainMessages } from './tool-messages.js';
import { cutOff, parseAndValidate } from './validate.js';

interface Plan {
  request: EngineRequest;
  /** The answer must be JSON matching this, described as `what` in errors. */
  json?: { schema: JsonSchema; what: string };
  tools?: ToolPlan;
}

/** Answers `request` with `model`, streaming OpenAI-shaped chunks into `onChunk`. */
export async function structuredChat(model: LoadedModel, request: ChatCompletionRequest, onChunk: ChunkSink): Promise<void> {
  const plan = planAnswer(request);
  if (!plan.json) return model.chat(plan.request, onChunk);
  let text = '';
  let streamed = ''; // under tools: the words of an answer in words, passed on as they come
  let reason: FinishReason | null = null;
  const ending: ChatCompletionChunk[] = []; // finish and usage, sent once the answer is checked
  await model.chat(plan.request, (chunk) => {
    const choice = chunk.choices[0];
    const content = choice?.delta.content;
    if (content) {
      text += content;
      // Under tools the answer is {"content": "…"} or a call: its words stream as they are decoded.
      const words = plan.tools ? (partialContent(text) ?? '') : undefined;
      const delta = words === undefined ? content : words.slice(streamed.length);
      if (words !== undefined) streamed = words.length > streamed.length ? words : streamed;
      if (delta) onChunk({ ...chunk, choices: [{ index: 0, delta: { content: delta }, finish_reason: null }] });
    }
    if (choice?.finish_reason || chunk.usage) {
      reason = choice?.finish_reason ?? reason;
      ending.push({ ...chunk, choices: chunk.choices.map((c) => ({ ...c, delta: {} })) });
    }
  });
  const finished = reason as FinishReason | null;
  if (!plan.tools) {
    if (finished === 'length') throw cutOff(plan.json.what);
    if (finished !== 'abort') await parseAndValidate(text, plan.json.schema, plan.json.what);
    for (const chunk of ending) onChunk(chunk);
    return;
  }
  const outcome = await toolOutcome(text, finished, plan.json);
  const chunks = chunkBuilder(model.record.id, ending[0]?.id, ending[0]?.created);
  // What the stream has not yet passed on (the last escape, or words that were not a string).
  const rest = outcome.content?.startsWith(streamed) ? outcome.content.slice(streamed.length) : outcome.content;
  if (rest) onChunk(chunks.delta(rest));
  if (outcome.calls) onChunk(chunks.toolCalls(outcome.calls));
  for (const chunk of ending) {
    onChunk({ ...chunk, choices: chunk.choices.map((c) => ({ ...c, finish_reason: c.finish_reason && outcome.reason })) });
  }
}

/** The messages the engine is given for `request` (tool calls, results and instructions in plain text). */
export function engineMessages(request: Pick<ChatCompletionRequest, 'messages' | 'tools'>): EngineRequest['messages'] {
  return planAnswer({ ...request, ...(request.tools?.length ? { tool_choice: 'auto' } : {}) }).request.messages;
}

function planAnswer(request: ChatCompletionRequest): Plan {
  if (!Array.isArray(request.messages)) throw new LlamaChatError('bad-input', 'The request needs messages: a list of { role, content }.');
  const { messages, tools, tool_choice, response_format, ...rest } = request;
  let schema: JsonSchema | undefined;
  let what = '';
  if (response_format?.type === 'json_schema') {
    const given = response_format.json_schema?.schema;
    if (given === undefined)
      throw new LlamaChatError('bad-input', 'response_format { type: "json_schema" } needs json_schema: { name, schema }.');
    checkSchemaSupported(given, 'response_format');
    schema = given;
    what = `the schema "${response_format.json_schema.name}"`;
  } else if (response_format?.type === 'json_object') {
    schema = { type: 'object' };
    what = 'a JSON object';
  } else if (response_format !== undefined && response_format.type !== 'text') {
    throw new LlamaChatError('bad-input', 'response_format.type must be "text", "json_object" or "json_schema".');
  }
  const toolPlan = tools?.length ? planTools(tools, tool_choice, schema ?? { type: 'string' }) : undefined;
  const engineMessages = plainMessages(messages, toolPlan && toolInstructions(toolPlan));
  if (toolPlan) {
    return {
      request: {
        ...rest,
        messages: engineMessages,
        response_format: { type: 'json_schema', json_schema: { name: 'answer_or_tool_call', schema: toolPlan.schema } },
      },
      json: { schema: toolPlan.schema, what: 'the tool-call format' },
      tools: toolPlan,
    };
  }
  const format = schema ? response_format : undefined;
  return {
    request: { ...rest, messages: engineMessages, ...(format ? { response_format: format } : {}) },
    ...(schema ? { json: { schema, what } } : {}),
  };
}

interface Outcome {
  content?: string;
  calls?: ToolCall[];
  reason: FinishReason;
}

/** The answer under tools: words, or a call. An answer in words that was cut off keeps its words. */
async function toolOutcome(text: string, reason: FinishReason | null, json: { schema: JsonSchema; what: string }): Promise<Outcome> {
  if (reason === 'length' || reason === 'abort') {
    const partial = partialContent(text);
    if (partial !== undefined) return { content: partial, reason };
    if (reason === 'abort') return { reason };
    throw cutOff(json.what);
  }
  const value = (await parseAndValidate(text, json.schema, json.what)) as {
    content?: unknown;
    tool_calls?: Array<{ name: string; arguments: unknown }>;
  };
  if (value.tool_calls) {
    const calls = value.tool_calls.map((call): ToolCall => ({
      id: `call_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    }));
    return { calls, reason: 'tool_calls' };
  }
  const content = typeof value.content === 'string' ? value.content : JSON.stringify(value.content);
  return { content, reason: reason ?? 'stop' };
}
