// The error the view shows, with its action: the message at once, and the action (what a person
// can do about it, error-actions.ts) from a part loaded when the first error shows, so the page's
// first script does not carry it. Where that part cannot load (offline), the message stands alone.
import { nothing } from 'lit';
import type { ChatSession } from '../session/chat-session.js';
import { loadPart } from '../shared/code-part.js';
import { errorView, type View } from './chat-view.js';
import type { ErrorPanel, ErrorPanelActions, ErrorPanelHost } from './error-actions.js';

export class LazyErrorPanel {
  private panel: ErrorPanel | undefined;
  private loading = false;

  constructor(
    private readonly host: ErrorPanelHost,
    private readonly session: ChatSession,
    private readonly actions: ErrorPanelActions,
  ) {}

  view(): View {
    const error = this.session.error;
    if (!error) return nothing;
    if (this.panel) return this.panel.view();
    this.load();
    return errorView(error, undefined);
  }

  private load(): void {
    if (this.loading) return;
    this.loading = true;
    loadPart(() => import('./error-actions.js')).then(
      ({ ErrorPanel }) => {
        this.panel = new ErrorPanel(this.host, this.session, this.actions);
        this.host.requestUpdate();
      },
      () => {}, // the message is shown without its action
    );
  }
}
