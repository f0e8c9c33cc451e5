// The step before a download: the model, its size (or that it is stored here), the button that
// starts it, and, where the device's size was guessed, a larger model to choose instead.
import type { ModelRecord } from '../../protocol/types.js';
import { ConsentLookup } from '../models/model-offers.js';
import type { ModelChoice } from '../models/model-choice.js';
import { consentView, type View } from './chat-view.js';
import { storedCheck } from './storage-actions.js';

export interface ConsentHost {
  /** The model shown, and what the device choice offers besides. */
  record(): ModelRecord | undefined;
  choice(): ModelChoice | undefined;
  models(): readonly ModelRecord[];
  load(): Promise<void>;
  /** The person chose another model: the element shows it in this step. */
  useModel(id: string): void;
  requestUpdate(): void;
  /** The step's buttons go away once it starts. */
  started(): void;
}

export class ConsentStep {
  private readonly facts: ConsentLookup;
  private readonly actions = { start: () => this.start(), use: (id: string) => this.host.useModel(id) };

  constructor(private readonly host: ConsentHost) {
    this.facts = new ConsentLookup(storedCheck(host.models), () => host.requestUpdate());
  }

  /** Finds out (once per model) whether the model shown is stored here, else its size. */
  describe(): void {
    this.facts.describe(this.host.record());
  }

  view(): View {
    return consentView(this.host.record(), this.facts.shown, this.actions, this.host.choice()?.larger);
  }

  private start(): void {
    // The person agreed to a large download: ask the browser not to evict it under pressure.
    void navigator.storage?.persist?.().catch(() => false);
    this.host.load().catch(() => {}); // failures are shown in the view and reported through events
    this.host.started();
  }
}
