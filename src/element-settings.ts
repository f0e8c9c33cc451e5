// What <llama-chat>'s attributes and properties mean for its session, read fresh on each use.
import type { LlamaChat } from './llama-chat.js';
import { modelsSetting } from './models-attribute.js';
import type { SessionSettings } from './session-types.js';

export function elementSettings(element: LlamaChat): SessionSettings {
  return {
    model: element.model,
    ...modelsSetting(element.models),
    systemPrompt: element.systemPrompt,
    temperature: element.temperature,
    maxTokens: element.maxTokens,
    historyKey: element.historyKey || undefined,
    tools: Array.isArray(element.tools) ? element.tools : [],
    toolChoice: element.toolChoice === 'required' ? 'required' : 'auto',
    attribute: (name) => element.getAttribute(name),
  };
}
