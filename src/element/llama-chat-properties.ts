// <llama-chat>'s attributes and properties, with their defaults: the public settings, apart from
// the element's behaviour (llama-chat.ts) so each file says one thing.
import { LitElement } from 'lit';
import type { ModelRecord } from '../../protocol/types.js';
import type { PageTool } from '../session/page-tools.js';
import { modelsAttribute, optionalNumber } from './attribute-converters.js';

/**
 * The theme: every colour, size and font of <llama-chat> comes from these.
 *
 * @cssprop --llama-chat-background - background of the chat
 * @cssprop --llama-chat-color - text colour
 * @cssprop --llama-chat-muted-color - secondary text (status, notes)
 * @cssprop --llama-chat-accent - buttons, the person's messages, focus rings
 * @cssprop --llama-chat-on-accent - text on the accent colour
 * @cssprop --llama-chat-surface - answers' background, code blocks
 * @cssprop --llama-chat-border-color - borders and dividers
 * @cssprop --llama-chat-danger - errors
 * @cssprop --llama-chat-radius - corner radius
 * @cssprop --llama-chat-spacing - the base gap between pieces
 * @cssprop --llama-chat-font - the font shorthand
 * @cssprop --llama-chat-code-font - font family of code
 * @cssprop --llama-chat-height - the element's height (default 480px)
 */
export class LlamaChatProperties extends LitElement {
  static override properties = {
    model: { type: String },
    models: { converter: modelsAttribute },
    systemPrompt: { type: String, attribute: 'system-prompt' },
    temperature: { converter: optionalNumber },
    maxTokens: { converter: optionalNumber, attribute: 'max-tokens' },
    adapter: { type: String },
    autoload: { type: Boolean },
    placeholder: { type: String },
    historyKey: { type: String, attribute: 'history-key' },
    theme: { type: String, reflect: true },
    links: { type: String },
    tools: { attribute: false },
    toolChoice: { type: String, attribute: 'tool-choice' },
    noAttribution: { type: Boolean, attribute: 'no-attribution' },
  };

  /** Model id: from the built-in catalog or from `models`. */
  declare model: string;
  /** Extra model records the `model` attribute may name; as an attribute (or text), a JSON list of them. */
  declare models: ModelRecord[];
  /** System message for every conversation. */
  declare systemPrompt: string;
  /** Sampling temperature; engine default when absent. */
  declare temperature: number | undefined;
  /** Longest answer in tokens; engine default when absent. */
  declare maxTokens: number | undefined;
  /** One of the model record's LoRA `adapters` (its id) for every answer; absent: the model alone. Switching loads nothing. */
  declare adapter: string | undefined;
  /** Start downloading and loading at once, without the consent step. */
  declare autoload: boolean;
  /** Placeholder of the message input. */
  declare placeholder: string;
  /** Keep the conversation in IndexedDB under this key; absent: nothing is stored. */
  declare historyKey: string | undefined;
  /** `light` or `dark` overrides the page's `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined;
  /** Links in answers: absent (all, each showing its host), `off`, or the allowed host names. */
  declare links: string | undefined;
  /** Functions on the page the model may call: `{ name, description, parameters, run(args), confirm?, timeoutMs? }`. */
  declare tools: PageTool[];
  /** `required`: the model must call a tool first in each answer; `auto` (default): it decides. */
  declare toolChoice: 'auto' | 'required';
  /** Hide the model license's attribution ("Built with Llama"): only where the site displays it itself. */
  declare noAttribution: boolean;

  constructor() {
    super();
    this.model = ''; // the best built-in model for this device
    this.models = [];
    this.tools = [];
    this.toolChoice = 'auto';
    this.systemPrompt = '';
    this.autoload = false;
    this.noAttribution = false;
    this.placeholder = 'Type a message…';
  }
}
