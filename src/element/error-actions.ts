// What a person can do about an error, as one button. The element supplies the operations.
import type { ErrorCode } from '../../protocol/errors.js';
import type { ChatStatus, ModelRecord } from '../../protocol/types.js';
import { html, nothing } from 'lit';
import { errorView, type ErrorAction } from './chat-view.js';
import type { FreeSpaceStep } from './free-space-view.js';
import type { ChatSession } from '../session/chat-session.js';
import { browserServices } from '../session/browser-services.js';
import { alternativeModel } from '../models/alternative-model.js';
import { loadPart } from '../shared/code-part.js';

export interface ErrorActionContext {
  status: ChatStatus;
  clear(): Promise<void>;
  load(): Promise<void>;
  /** Shows the stored models the person may choose to delete to make room. */
  chooseSpaceToFree(): Promise<void>;
  /** A model that could run here instead, after a GPU or memory failure. */
  alternative(): ModelRecord | undefined;
  useModel(id: string): Promise<void>;
}

export function errorAction(code: ErrorCode, context: ErrorActionContext): ErrorAction | undefined {
  const ignore = () => {}; // failures of the action are shown in the view like any other
  if (code === 'context-overflow') return { label: 'Clear conversation', run: () => void context.clear() };
  if (context.status !== 'error') return undefined; // the model still answers: nothing to retry
  if (code === 'quota-exceeded') return { label: 'Free space…', run: () => context.chooseSpaceToFree().catch(ignore) };
  const other = code === 'webgpu-unavailable' || code === 'insufficient-memory' ? context.alternative() : undefined;
  if (other) return { label: `Use ${other.label ?? other.id} instead`, run: () => context.useModel(other.id).catch(ignore) };
  // A structured answer that missed its schema: the person may simply send again.
  if (code === 'bad-input' || code === 'invalid-output') return undefined; // the page's configuration must change: trying again cannot help
  return { label: code === 'device-lost' ? 'Reload the model' : 'Try again', run: () => context.load().catch(ignore) };
}

/** `action`, running `after` once it has run (e.g. to move focus off the button it removes). */
export function thenRun(action: ErrorAction | undefined, after: () => void): ErrorAction | undefined {
  return action && { ...action, run: () => (action.run(), after()) };
}

/** The element's operations for the error panel, over its session. */
export function elementActions(
  session: ChatSession,
  useModel: (id: string) => Promise<void>,
  chooseSpaceToFree: () => Promise<void>,
): ErrorActionContext {
  return {
    status: session.status,
    clear: () => session.clear(),
    load: () => session.load(),
    chooseSpaceToFree,
    alternative: () => alternativeModel(session.record(), session.models()),
    useModel,
  };
}

/** What the error panel asks of the element. */
export interface ErrorSectionActions {
  useModel(id: string): Promise<void>;
  chooseSpaceToFree(): Promise<void>;
  /** Runs after the action's button was pressed (it goes away). */
  after(): void;
}

/** The error with its one action, and after quota-exceeded the step that frees space. */
export function errorSection(session: ChatSession, freeSpace: FreeSpaceStep | undefined, actions: ErrorSectionActions) {
  const error = session.error;
  if (!error) return nothing;
  const context = elementActions(session, actions.useModel, actions.chooseSpaceToFree);
  const action = freeSpace?.open ? undefined : thenRun(errorAction(error.code, context), actions.after);
  return html`${errorView(error, action)}${error.code === 'quota-exceeded' ? freeSpace?.view() : nothing}`;
}

type ErrorPanelHost = ConstructorParameters<typeof FreeSpaceStep>[0];
type ErrorPanelActions = Pick<ErrorSectionActions, 'useModel' | 'after'>;

/** The element's error panel: the error, its action, and the free-space step that action may open. */
export class ErrorPanel {
  /** After quota-exceeded: the stored models the person may choose to delete (made when first asked for). */
  private freeSpace: FreeSpaceStep | undefined;

  constructor(
    private readonly host: ErrorPanelHost,
    private readonly session: ChatSession,
    private readonly actions: ErrorPanelActions,
  ) {}

  view() {
    const { useModel, after } = this.actions;
    return errorSection(this.session, this.freeSpace, { useModel, after, chooseSpaceToFree: () => this.chooseSpaceToFree() });
  }

  private async chooseSpaceToFree(): Promise<void> {
    const { FreeSpaceStep } = await loadPart(() => import('./free-space-view.js'));
    this.freeSpace ??= new FreeSpaceStep(this.host, {
      record: () => this.session.record(),
      models: () => this.session.models(),
      createClient: () => browserServices.createClient(this.session.models()),
      retry: () => this.session.load(),
    });
    await this.freeSpace.show();
  }
}
