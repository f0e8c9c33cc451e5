// A page tool's call in the conversation: collapsed details with the arguments and the outcome,
// and Allow / Deny while the person is asked. Model output is untrusted: plain text only.
import { html, nothing, type TemplateResult } from 'lit';
import type { ToolActivity } from '../session/session-types.js';

const STATE_TEXT: Record<ToolActivity['state'], string> = {
  waiting: 'waiting for your permission',
  running: 'running…',
  done: 'done',
  failed: 'failed',
  denied: 'declined',
};

export function toolView(activity: ToolActivity): TemplateResult {
  const decide = activity.decide;
  return html`<div part="message tool-call" class="message tool" data-state=${activity.state}>
    <details>
      <summary>Tool <code>${activity.name}</code>: ${STATE_TEXT[activity.state]}</summary>
      <div class="tool-arguments">Arguments: <code>${activity.arguments}</code></div>
      ${activity.outcome === undefined ? nothing : html`<div class="tool-outcome">Result: ${activity.outcome}</div>`}
    </details>
    ${
      decide
        ? html`<div class="tool-confirm" role="group" aria-label="Allow ${activity.name} to run?">
            <span>Allow <code>${activity.name}</code> to run with <code>${activity.arguments}</code>?</span>
            <button part="tool-allow" type="button" @click=${() => decide(true)}>Allow</button>
            <button part="tool-deny" type="button" @click=${() => decide(false)}>Deny</button>
          </div>`
        : nothing
    }
  </div>`;
}
