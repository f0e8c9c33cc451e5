// The pieces of <llama-chat>'s view that depend only on what they are given: a message, the
// consent step, the progress bar, the error panel. The element puts them together.
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { LlamaChatError } from '../../protocol/errors.js';
import type { ChatStatus, ModelRecord } from '../../protocol/types.js';
import { formatBytes } from '../shared/format.js';
import type { MarkdownCache } from '../rendering/markdown-cache.js';
import type { ProgressView } from '../session/progress-tracker.js';
import type { ConsentFacts } from '../models/model-offers.js';
import type { ViewMessage } from '../session/session-types.js';
import { licenseView } from './license-view.js';
import type { MessageActions } from './message-actions.js';

export type View = TemplateResult | typeof nothing;

const dots = html`<span class="dots" aria-hidden="true"><i></i><i></i><i></i></span>`;

export function statusText(status: ChatStatus): string {
  const text: Record<ChatStatus, string> = {
    idle: 'Not loaded',
    downloading: 'Downloading',
    loading: 'Loading',
    ready: 'Ready',
    generating: 'Answering…',
    error: 'Error',
  };
  return text[status];
}

export function statusView(status: ChatStatus): View {
  return html`<span part="status" class="status" data-status=${status}>${statusText(status)}</span>`;
}

/** One message; `writing` is the answer still streaming; `index` its place in the element's `messages`; `last`: the last answer. */
export function messageView(
  message: ViewMessage,
  { writing, index, last }: { writing: boolean; index: number; last: boolean },
  markdown: MarkdownCache,
  actions: MessageActions | undefined,
): View {
  const who = message.role === 'user' ? 'You' : 'Assistant';
  const editing = !!actions && actions.editing === message;
  return html`<div part="message ${message.role}-message" class="message ${message.role} ${editing ? 'editing' : ''}" data-index=${index}>
    <span class="visually-hidden">${who}:</span>
    ${
      editing
        ? actions!.editor(message)
        : html`<div class="content">${message.role === 'assistant' ? markdown.render(message, message.content) : message.content}</div>`
    }
    ${writing && !message.content ? dots : nothing}
    ${
      message.failed
        ? html`<div class="note" data-code=${message.failed}>Cut off by an error</div>`
        : message.stopped
          ? html`<div class="note">Stopped</div>`
          : nothing
    }
    ${writing || !actions ? nothing : actions.view(message, last)}
  </div>`;
}

/** A message sent while the model loads: it joins the conversation once the model is ready. */
export function waitingView(text: string | undefined): View {
  return text === undefined
    ? nothing
    : html`<div part="message user-message" class="message user waiting">
        <span class="visually-hidden">You:</span>
        <div class="content">${text}</div>
        <div class="note">Sent once the model is ready</div>
      </div>`;
}

/** The consent step: the model, its size, its license, a button; and `larger`, where the device's size was guessed, to choose instead. */
export function consentView(
  record: ModelRecord | undefined,
  facts: ConsentFacts | undefined,
  actions: { start(): void; use(id: string): void },
  larger?: ModelRecord,
): View {
  if (!record) return nothing; // still choosing the model for this device
  const stored = facts?.model === record.id && facts.stored;
  const bytes = facts?.model === record.id ? facts.bytes : undefined;
  // Too large for this device, known from its size: no button that could only fail after the download.
  const problem = facts?.model === record.id ? facts.problem : undefined;
  const size = stored
    ? 'Stored on this device: starts without a download'
    : bytes
      ? `${formatBytes(bytes)} download, kept on this device for next time`
      : 'Downloaded once, kept on this device';
  return html`<div part="consent" class="consent">
    <div class="consent-text">
      <strong>${record.label ?? record.id}</strong>
      <span class="size">${size}</span>
      <span>It runs in your browser: nothing you type leaves this device.</span>
      ${licenseView(record.license)}
    </div>
    ${
      problem
        ? html`<p part="consent-problem" class="notice" role="status">${problem}</p>`
        : html`<button part="load-button" type="button" @click=${actions.start}>${stored ? 'Start' : 'Download and start'}</button>`
    }
    ${
      larger
        ? html`<button part="larger-model-button" class="secondary" type="button" @click=${() => actions.use(larger.id)}>
          Use ${larger.label ?? larger.id} instead${larger.sizeBytes ? ` (${formatBytes(larger.sizeBytes)})` : ''}
        </button>`
        : nothing
    }
  </div>`;
}

export const emptyView = html`<p class="empty">Ask anything. The answer is written on this device.</p>`;

/** Send, or Stop while an answer is being written. */
export function composerButton(generating: boolean, disabled: boolean, onStop: () => void): View {
  return generating
    ? html`<button part="stop-button" class="stop" type="button" aria-label="Stop the answer" @click=${onStop}>Stop</button>`
    : html`<button part="send-button" type="submit" ?disabled=${disabled}>Send</button>`;
}

export function progressView(progress: ProgressView | undefined): View {
  return html`<div part="progress" class="progress">
    <!-- Without a value the bar is indeterminate (the total is not known yet). -->
    <progress
      aria-label="Model loading progress"
      aria-valuetext=${progress?.text ?? 'Starting'}
      max="1"
      value=${ifDefined(progress?.fraction)}
    ></progress>
    <!-- Not a live region: it changes with every chunk; the bar carries the same words. -->
    <div class="progress-text">${progress?.text ?? 'Starting…'}</div>
  </div>`;
}

export interface ErrorAction {
  label: string;
  run: () => void;
}

export function errorView(error: LlamaChatError, action: ErrorAction | undefined): View {
  return html`<div part="error" class="error" role="alert" data-code=${error.code}>
    <span>${error.message}</span>
    ${action ? html`<button part="error-action" type="button" @click=${action.run}>${action.label}</button>` : nothing}
  </div>`;
}
