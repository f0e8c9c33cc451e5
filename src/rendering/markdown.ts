// Model output is untrusted: Markdown becomes HTML through `marked`, raw HTML in it stays
// text, and DOMPurify (its own instance, an allow-list, http(s)/mailto links only) has the
// last word before anything reaches the DOM. Loaded only once a model starts loading or an
// answer is shown (markdown-cache.ts): the page's first script stays small.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { allowed, type LinkPolicy } from './link-policy.js';
import { morphChildren } from './morph-children.js';
import { libraryPolicy } from '../shared/trusted-types.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const parser = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    // Raw HTML in the answer is shown as the text it is.
    html: ({ text }) => escapeHtml(text),
    // An image would be fetched on sight and could carry the conversation to a server in its
    // URL; show it as a link the person may choose to follow.
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
  },
});

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  'del',
  'a',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node instanceof HTMLAnchorElement) {
    node.target = '_blank';
    node.rel = 'noopener noreferrer';
  }
});

/** Direction overrides and isolates, which can make a link read as something it is not ("gpj.exe" as "exe.jpg"). */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

function stripBidiControls(root: Element): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    (node as Text).data = (node as Text).data.replace(BIDI_CONTROLS, '');
  }
}

/**
 * A link shows where it really goes: its host (in punycode, so a look-alike name cannot pass
 * for the real one) right after its text; the model's own title is dropped. Links the policy
 * does not allow become their text.
 */
function revealDestination(link: HTMLAnchorElement, policy: LinkPolicy): void {
  const href = (link.getAttribute('href') ?? '').replace(BIDI_CONTROLS, '');
  stripBidiControls(link);
  let url: URL | undefined;
  try {
    url = new URL(href);
  } catch {
    url = undefined;
  }
  if (!url || !allowed(url, policy)) {
    link.replaceWith(document.createTextNode(link.textContent ?? ''));
    return;
  }
  link.setAttribute('href', url.href);
  const destination = document.createElement('span');
  destination.className = 'link-host';
  destination.textContent = url.protocol === 'mailto:' ? ' (email)' : ` (${url.host})`;
  link.after(destination);
}

/** Shows `source` in `target`, keeping the nodes of what it showed before that did not change. */
export function renderMarkdownInto(target: Element, source: string, policy: LinkPolicy = 'all'): void {
  morphChildren(target, renderMarkdown(source, policy));
}

/** Markdown → a sanitized fragment, with a copy button on each code block. */
function renderMarkdown(source: string, policy: LinkPolicy = 'all'): DocumentFragment {
  const html = parser.parse(source, { async: false });
  const fragment = purifier.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'align', 'start', 'target', 'rel'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    // DOMPurify holds every other attribute's value to the URI pattern too; these two are no URIs.
    ADD_URI_SAFE_ATTR: ['align', 'start'],
    RETURN_DOM_FRAGMENT: true,
    // On a Trusted Types page, DOMPurify parses through the library's policy: its own default
    // ("dompurify") would clash with a page that uses DOMPurify too. It calls only createHTML
    // and createScriptURL.
    TRUSTED_TYPES_POLICY: (libraryPolicy() as TrustedTypePolicy | null) ?? undefined,
  });
  for (const link of fragment.querySelectorAll('a')) revealDestination(link, policy);
  for (const code of fragment.querySelectorAll('pre, code')) stripBidiControls(code);
  for (const pre of fragment.querySelectorAll('pre')) {
    const block = document.createElement('div');
    block.className = 'code-block';
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'copy';
    copy.textContent = 'Copy';
    copy.setAttribute('aria-label', 'Copy code');
    pre.replaceWith(block);
    block.append(pre, copy);
  }
  return fragment;
}
