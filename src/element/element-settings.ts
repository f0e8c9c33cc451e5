// What <llama-chat>'s attributes and properties mean for its session, read fresh on each use.
import type { ModelRecord } from '../../protocol/types.js';
import type { PageTool } from '../session/page-tools.js';
import type { SessionEvents, SessionHost, SessionSettings } from '../session/session-types.js';
import { modelsSetting } from './models-attribute.js';

/** What the session reads of <llama-chat> (the element is one; named here so neither file imports the other). */
export interface ChatElement extends Pick<HTMLElement, 'getAttribute' | 'dispatchEvent'> {
  model: string;
  models: ModelRecord[];
  systemPrompt: string;
  temperature: number | undefined;
  maxTokens: number | undefined;
  adapter: string | undefined;
  historyKey: string | undefined;
  tools: PageTool[];
  toolChoice: 'auto' | 'required';
  readonly updateComplete: Promise<boolean>;
}

export function elementSettings(element: ChatElement): SessionSettings {
  return {
    model: element.model,
    ...modelsSetting(element.models),
    systemPrompt: element.systemPrompt,
    temperature: element.temperature,
    maxTokens: element.maxTokens,
    adapter: element.adapter || undefined,
    historyKey: element.historyKey || undefined,
    tools: Array.isArray(element.tools) ? element.tools : [],
    toolChoice: element.toolChoice === 'required' ? 'required' : 'auto',
    ownEngine: element.getAttribute('own-engine') !== null,
    attribute: (name) => element.getAttribute(name),
  };
}

/** The element as its session's host: its settings, its render requests and its events. */
export function sessionHost(element: ChatElement, view: { onChange(streamed?: boolean): void; announce(text: string): void }): SessionHost {
  return {
    settings: () => elementSettings(element),
    onChange: (streamed) => view.onChange(streamed),
    settled: () => element.updateComplete,
    emit: <K extends keyof SessionEvents>(type: K, detail: SessionEvents[K]) => {
      if (type === 'llama-chat-message') view.announce(`Answer: ${(detail as SessionEvents['llama-chat-message']).message.content}`);
      element.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    },
  };
}
