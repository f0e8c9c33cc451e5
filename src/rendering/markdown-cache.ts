// Answers as rendered Markdown, one element per message. The renderer (marked and DOMPurify,
// most of the library's page-side bytes) is a chunk of its own, loaded when a model starts
// loading or an answer is first shown; until it is there (or if it cannot load) an answer shows
// as plain text, never blank, and is rendered in place once it arrives.
import type { LinkPolicy } from './link-policy.js';

type Renderer = typeof import('./markdown.js').renderMarkdownInto;

let renderer: Renderer | undefined;
let failed = false;
let loading: Promise<void> | undefined;

/** Starts loading the renderer (once); resolves when it is there or has failed. */
export function preloadMarkdown(): Promise<void> {
  loading ??= import('./markdown.js').then(
    (module) => void (renderer = module.renderMarkdownInto),
    () => void (failed = true), // the browser would not fetch a failed module again on this page
  );
  return loading;
}

/**
 * One element per message whose children are re-rendered only when its text changed: while an
 * answer streams, only that answer is parsed again, never the whole conversation (and how often
 * it streams in is up to render-pacer.ts).
 */
export class MarkdownCache {
  private views = new WeakMap<object, { source: string; node: HTMLElement }>();
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

  render(message: object, source: string): HTMLElement {
    let view = this.views.get(message);
    if (!view) {
      const node = document.createElement('div');
      node.className = 'markdown';
      view = { source: '\u0000', node };
      this.views.set(message, view);
    }
    if (!renderer) {
      if (!failed && !this.waiting) {
        this.waiting = true;
        void preloadMarkdown().then(() => this.onRendererReady());
      }
      // The text as text (never HTML) until the renderer is there, or for good if it could not load.
      if (view.node.textContent !== source) view.node.textContent = source;
      return view.node;
    }
    if (view.source !== source) {
      renderer(view.node, source, this.policy);
      view.source = source;
    }
    return view.node;
  }
}
