// Answers as rendered Markdown, one element per message. The renderer (marked and DOMPurify,
// most of the library's page-side bytes) is a chunk of its own, loaded when a model starts
// loading or an answer is first shown; until it is there an answer shows nothing rather than
// raw Markdown, and if it cannot load the answer is shown as plain text.
import type { LinkPolicy } from './link-policy.js';

type Renderer = typeof import('./markdown.js').renderMarkdown;

let renderer: Renderer | undefined;
let failed = false;
let loading: Promise<void> | undefined;

/** Starts loading the renderer (once); resolves when it is there or has failed. */
export function preloadMarkdown(): Promise<void> {
  loading ??= import('./markdown.js').then(
    (module) => void (renderer = module.renderMarkdown),
    () => void (failed = true), // the browser would not fetch a failed module again on this page
  );
  return loading;
}

/** While an answer streams, it is parsed again at most this often; tokens come far faster. */
const LIVE_PARSE_INTERVAL_MS = 100;
/** …and a long answer, whose every parse costs more, rests this many times its last parse. */
const REST_PER_PARSE = 10;

/**
 * One element per message whose children are re-rendered only when its text changed: while an
 * answer streams, only that answer is parsed again, never the whole conversation.
 */
export class MarkdownCache {
  private views = new WeakMap<object, { source: string; node: HTMLElement; parsedAt: number; parseMs: number }>();
  private policy: LinkPolicy = 'all';
  private waiting = false;

  /** `onRendererReady`: render again, now that answers can be shown as Markdown. */
  constructor(private readonly onRendererReady: () => void) {}

  /** A new link policy renders every message again. */
  setLinkPolicy(policy: LinkPolicy): void {
    if (JSON.stringify(policy) === JSON.stringify(this.policy)) return;
    this.policy = policy;
    this.views = new WeakMap();
  }

  /** `live`: the text is still growing, so a parse may wait for the next interval. */
  render(message: object, source: string, live = false): HTMLElement {
    let view = this.views.get(message);
    if (!view) {
      const node = document.createElement('div');
      node.className = 'markdown';
      view = { source: '\u0000', node, parsedAt: -Infinity, parseMs: 0 };
      this.views.set(message, view);
    }
    if (!renderer) {
      if (!failed && !this.waiting) {
        this.waiting = true;
        void preloadMarkdown().then(() => this.onRendererReady());
      }
      // Nothing until the renderer is there; if it could not load, the text as text (never HTML).
      view.node.textContent = failed ? source : '';
      return view.node;
    }
    const now = performance.now();
    const rest = Math.max(LIVE_PARSE_INTERVAL_MS, view.parseMs * REST_PER_PARSE);
    if (view.source !== source && (!live || now - view.parsedAt >= rest)) {
      view.node.replaceChildren(renderer(source, this.policy));
      view.source = source;
      view.parsedAt = now;
      view.parseMs = performance.now() - now;
    }
    return view.node;
  }
}
