// The "Free space" step after quota-exceeded, in the element: the stored models listed with
// their sizes, this chat's own chosen, others not; nothing is deleted until the person
// presses Delete, and only what they chose.
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { formatBytes } from '../shared/format.js';
import { canMakeRoom, chosenBytes, choiceIsEnough, planFreeSpace, type FreeSpacePlan } from '../models/free-space.js';
import type { SessionClient } from '../session/session-types.js';
import type { ModelRecord } from '../../protocol/types.js';

/** What the step needs from the element's session. */
export interface FreeSpaceSource {
  record(): ModelRecord | undefined;
  models(): readonly ModelRecord[];
  createClient(): SessionClient;
  /** Runs after the chosen models are deleted: the load again. */
  retry(): Promise<void>;
}

export class FreeSpaceStep implements ReactiveController {
  private plan: FreeSpacePlan | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment },
    private readonly source: FreeSpaceSource,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  get open(): boolean {
    return this.plan !== undefined;
  }

  /** Lists what is stored (asked of a short-lived worker) and shows the choice. */
  async show(): Promise<void> {
    const client = this.source.createClient();
    try {
      const [stored, estimate] = await Promise.all([client.cache.list(), client.cache.estimate()]);
      this.plan = planFreeSpace(this.source.record(), this.source.models(), stored, estimate);
    } finally {
      client.terminate();
    }
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('.free-space input, .free-space button')?.focus();
  }

  close(): void {
    this.plan = undefined;
    this.host.requestUpdate();
  }

  private toggle(id: string): void {
    const choice = this.plan?.choices.find((c) => c.id === id);
    if (choice) choice.chosen = !choice.chosen;
    this.host.requestUpdate();
  }

  private async deleteChosen(): Promise<void> {
    const chosen = this.plan?.choices.filter((c) => c.chosen).map((c) => c.id) ?? [];
    this.close();
    const client = this.source.createClient();
    try {
      for (const id of chosen) await client.cache.delete(id);
    } finally {
      client.terminate();
    }
    await this.source.retry();
  }

  view() {
    const plan = this.plan;
    if (!plan) return nothing;
    const need = plan.shortBy === undefined ? '' : `${formatBytes(Math.max(0, plan.shortBy))} more is needed. `;
    if (!canMakeRoom(plan)) {
      return html`<div part="free-space" class="free-space" role="group" aria-label="Free space">
        <p>
          ${need}Deleting every other model stored here would free only ${formatBytes(plan.choices.reduce((s, c) => s + c.bytes, 0))}.
          Free space in the browser's settings for this site, or choose a smaller model.
        </p>
        <button type="button" @click=${() => this.close()}>Close</button>
      </div>`;
    }
    return html`<fieldset part="free-space" class="free-space">
      <legend>Delete stored models to make room</legend>
      <p>${need}Chosen: ${formatBytes(chosenBytes(plan))}.</p>
      ${plan.choices.map(
        (c) =>
          html`<label
            ><input type="checkbox" .checked=${c.chosen} ?disabled=${c.inUse} @change=${() => this.toggle(c.id)} /> ${c.label} (${formatBytes(
              c.bytes,
            )})${c.inUse ? ' — in use in another tab' : c.ours ? '' : ' — stored by another chat on this site'}</label
          >`,
      )}
      <div class="free-space-actions">
        <button type="button" part="free-space-delete" ?disabled=${!choiceIsEnough(plan)} @click=${() => void this.deleteChosen().catch(() => {})}>
          Delete chosen and retry
        </button>
        <button type="button" @click=${() => this.close()}>Cancel</button>
      </div>
    </fieldset>`;
  }
}
