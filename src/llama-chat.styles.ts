import { css } from 'lit';

// Theme through the documented --llama-chat-* custom properties on the element, or ::part()
// for the pieces. The private --_* names below pick the page's value, else the light or dark
// default: prefers-color-scheme decides unless theme="light|dark" says otherwise.
// The dark theme's defaults: under prefers-color-scheme, and with theme="dark" anywhere.
const darkPalette = css`
  --_bg: var(--llama-chat-background, #17191e);
  --_fg: var(--llama-chat-color, #e6e8ec);
  --_muted: var(--llama-chat-muted-color, #a0a6b1);
  --_accent: var(--llama-chat-accent, #8fb0ff);
  --_on-accent: var(--llama-chat-on-accent, #0f1a3a);
  --_surface: var(--llama-chat-surface, #23262d);
  --_border: var(--llama-chat-border-color, #363a43);
  --_danger: var(--llama-chat-danger, #ffb4ab);
  color-scheme: dark;
`;

export const styles = css`
  :host {
    --_bg: var(--llama-chat-background, #ffffff);
    --_fg: var(--llama-chat-color, #1b1d21);
    --_muted: var(--llama-chat-muted-color, #5b616e);
    --_accent: var(--llama-chat-accent, #2f5bd3);
    --_on-accent: var(--llama-chat-on-accent, #ffffff);
    --_surface: var(--llama-chat-surface, #f1f3f7);
    --_border: var(--llama-chat-border-color, #d5d9e2);
    --_danger: var(--llama-chat-danger, #b3261e);
    --_radius: var(--llama-chat-radius, 14px);
    --_gap: var(--llama-chat-spacing, 12px);
    --_code-font: var(--llama-chat-code-font, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
    display: block;
    min-width: 0;
    height: var(--llama-chat-height, 480px);
    font: var(--llama-chat-font, 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_fg);
    color-scheme: light;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkPalette}
    }
  }
  :host([theme='dark']) {
    ${darkPalette}
  }
  :host([hidden]) { display: none; }

  .chat {
    display: flex;
    flex-direction: column;
    height: 100%;
    box-sizing: border-box;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_gap);
    padding: calc(var(--_gap) * 0.75) var(--_gap);
    border-bottom: 1px solid var(--_border);
  }
  .title { font-weight: 600; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    flex: none;
    color: var(--_muted);
    font-size: 0.875em;
  }
  .status::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_border);
  }
  .status[data-status='ready']::before { background: #2e9d5b; }
  .status[data-status='generating']::before,
  .status[data-status='downloading']::before,
  .status[data-status='loading']::before { background: var(--_accent); }
  .status[data-status='error']::before { background: var(--_danger); }

  .messages {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: var(--_gap);
    display: flex;
    flex-direction: column;
    gap: calc(var(--_gap) * 0.75);
  }
  .messages:focus-visible { outline: 2px solid var(--_accent); outline-offset: -2px; }
  .empty { margin: auto; color: var(--_muted); text-align: center; }
  .message {
    max-width: min(85%, 72ch);
    padding: 8px 12px;
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }
  .message.user {
    align-self: flex-end;
    background: var(--_accent);
    color: var(--_on-accent);
    border-bottom-right-radius: 4px;
  }
  .message.assistant { align-self: flex-start; background: var(--_surface); border-bottom-left-radius: 4px; }
  .message.user .content { white-space: pre-wrap; }
  .message.tool { align-self: flex-start; font-size: 0.85em; color: var(--_muted); border: 1px dashed var(--_border); }
  .message.tool summary { cursor: pointer; }
  .message.tool code, .tool-outcome { overflow-wrap: anywhere; white-space: pre-wrap; }
  .tool-confirm { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin-top: 6px; color: var(--_fg); }
  .note { font-size: 0.8em; color: var(--_muted); margin-top: 4px; }
  .message.user .note { color: inherit; }

  /* Markdown in answers */
  .markdown > :first-child { margin-top: 0; }
  .markdown > :last-child { margin-bottom: 0; }
  .markdown :is(p, ul, ol, blockquote, table, .code-block) { margin: 0.5em 0; }
  .markdown :is(h1, h2, h3, h4, h5, h6) { margin: 0.75em 0 0.25em; line-height: 1.25; }
  .markdown h1 { font-size: 1.3em; }
  .markdown h2 { font-size: 1.2em; }
  .markdown :is(h3, h4, h5, h6) { font-size: 1.05em; }
  .markdown :is(ul, ol) { padding-left: 1.4em; }
  .markdown a { color: var(--_accent); text-underline-offset: 2px; }
  .markdown .link-host { color: var(--_muted); font-size: 0.85em; word-break: break-all; }
  .markdown blockquote { border-left: 3px solid var(--_border); padding-left: 0.75em; color: var(--_muted); }
  .markdown code { font-family: var(--_code-font); font-size: 0.9em; }
  .markdown :not(pre) > code { background: var(--_bg); border-radius: 4px; padding: 0.1em 0.3em; }
  .markdown hr { border: none; border-top: 1px solid var(--_border); }
  .markdown table { border-collapse: collapse; display: block; overflow-x: auto; }
  .markdown :is(th, td) { border: 1px solid var(--_border); padding: 4px 8px; text-align: left; }
  .code-block { position: relative; }
  .code-block pre {
    margin: 0;
    padding: 10px 12px;
    padding-right: 64px;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.6);
    overflow-x: auto;
  }
  .code-block .copy {
    position: absolute;
    top: 6px;
    right: 6px;
    padding: 2px 10px;
    font-size: 0.8em;
    background: var(--_surface);
    color: var(--_fg);
    border: 1px solid var(--_border);
  }

  .notice {
    margin: 0 var(--_gap) calc(var(--_gap) * 0.5);
    font-size: 0.85em;
    color: var(--_muted);
  }
  .consent, .progress, .error { margin: 0 var(--_gap) var(--_gap); }
  .messages > .consent { margin: auto; width: 100%; max-width: 36rem; box-sizing: border-box; }
  .consent {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_gap);
    padding: var(--_gap);
    background: var(--_surface);
    border-radius: var(--_radius);
  }
  .consent-text { display: flex; flex-direction: column; gap: 2px; flex: 1 1 220px; }
  .consent-text span { color: var(--_muted); font-size: 0.9em; }
  .consent-text .size { color: var(--_fg); }
  progress {
    width: 100%;
    height: 6px;
    appearance: none;
    border: none;
    border-radius: 3px;
    background: var(--_surface);
    accent-color: var(--_accent);
    overflow: hidden;
  }
  progress::-webkit-progress-bar { background: var(--_surface); }
  progress::-webkit-progress-value { background: var(--_accent); border-radius: 3px; transition: width 0.2s; }
  progress::-moz-progress-bar { background: var(--_accent); }
  .progress-text { color: var(--_muted); font-size: 0.875em; margin-top: 4px; font-variant-numeric: tabular-nums; }
  .error {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: center;
    justify-content: space-between;
    padding: calc(var(--_gap) * 0.75) var(--_gap);
    color: var(--_danger);
    border: 1px solid currentColor;
    border-radius: var(--_radius);
  }
  .error span { flex: 1 1 200px; }
  .free-space {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_gap) / 2);
    margin: 0 var(--_gap) var(--_gap);
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .free-space p { margin: 0; }
  .free-space-actions { display: flex; flex-wrap: wrap; gap: var(--_gap); }

  .composer {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: var(--_gap);
    border-top: 1px solid var(--_border);
  }
  textarea {
    flex: 1;
    min-width: 0;
    max-height: 8lh;
    resize: none;
    box-sizing: border-box;
    font: inherit;
    color: inherit;
    background: var(--_bg);
    padding: 8px 12px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.7);
  }
  textarea::placeholder { color: var(--_muted); opacity: 1; }
  button {
    flex: none;
    font: inherit;
    font-weight: 600;
    padding: 8px 16px;
    border: 1px solid transparent;
    border-radius: calc(var(--_radius) * 0.7);
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
  }
  button:hover:not(:disabled) { filter: brightness(1.08); }
  button:disabled { opacity: 0.5; cursor: default; }
  button.stop, .error button {
    background: transparent;
    color: var(--_fg);
    border-color: var(--_border);
  }
  :is(button, textarea):focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }

  .dots { display: inline-flex; gap: 3px; align-items: center; }
  .dots i {
    width: 5px;
    height: 5px;
    border-radius: 50%;
    background: currentColor;
    animation: pulse 1.2s infinite ease-in-out;
  }
  .dots i:nth-child(2) { animation-delay: 0.15s; }
  .dots i:nth-child(3) { animation-delay: 0.3s; }
  @keyframes pulse {
    0%, 80%, 100% { opacity: 0.25; }
    40% { opacity: 1; }
  }
  @media (prefers-reduced-motion: reduce) {
    .dots i { animation: none; opacity: 0.6; }
    progress::-webkit-progress-value { transition: none; }
  }
  @media (max-width: 400px) {
    .message { max-width: 92%; }
    button { padding: 8px 12px; }
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
