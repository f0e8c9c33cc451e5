import { css } from 'lit';

// Theme through custom properties on the element, or ::part() for the pieces.
export const styles = css`
  :host {
    --_bg: var(--llama-chat-background, #ffffff);
    --_fg: var(--llama-chat-color, #1b1d21);
    --_muted: var(--llama-chat-muted-color, #5c6370);
    --_accent: var(--llama-chat-accent, #2f5bd3);
    --_on-accent: var(--llama-chat-on-accent, #ffffff);
    --_surface: var(--llama-chat-surface, #f1f3f7);
    --_border: var(--llama-chat-border-color, #d5d9e2);
    --_danger: var(--llama-chat-danger, #b3261e);
    --_radius: var(--llama-chat-radius, 12px);
    --_gap: var(--llama-chat-spacing, 12px);
    display: block;
    min-width: 280px;
    height: var(--llama-chat-height, 480px);
    font: var(--llama-chat-font, 15px/1.5 system-ui, sans-serif);
    color: var(--_fg);
  }
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
    justify-content: space-between;
    gap: var(--_gap);
    padding: calc(var(--_gap) * 0.75) var(--_gap);
    border-bottom: 1px solid var(--_border);
    font-weight: 600;
  }
  .status { color: var(--_muted); font-weight: 400; }
  .messages {
    flex: 1;
    overflow-y: auto;
    padding: var(--_gap);
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
  }
  .message { max-width: 85%; padding: 8px 12px; border-radius: var(--_radius); }
  .message.user { align-self: flex-end; background: var(--_accent); color: var(--_on-accent); }
  .message.assistant { align-self: flex-start; background: var(--_surface); }
  .content { white-space: pre-wrap; overflow-wrap: anywhere; }
  .note { font-size: 0.8em; color: var(--_muted); margin-top: 4px; }
  .consent, .progress, .error, .notice { margin: 0 var(--_gap) var(--_gap); }
  .notice { color: var(--_muted); font-size: 0.9em; }
  .consent { padding: var(--_gap); border: 1px dashed var(--_border); border-radius: var(--_radius); }
  .consent p { margin: 0 0 var(--_gap); }
  progress { width: 100%; accent-color: var(--_accent); }
  .progress-text { color: var(--_muted); font-size: 0.9em; }
  .error {
    display: flex;
    gap: var(--_gap);
    align-items: center;
    justify-content: space-between;
    color: var(--_danger);
  }
  .composer {
    display: flex;
    gap: 8px;
    padding: var(--_gap);
    border-top: 1px solid var(--_border);
  }
  textarea {
    flex: 1;
    resize: none;
    font: inherit;
    color: inherit;
    background: var(--_bg);
    padding: 8px 10px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.66);
  }
  button {
    font: inherit;
    padding: 8px 16px;
    border: none;
    border-radius: calc(var(--_radius) * 0.66);
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
  }
  button:disabled { opacity: 0.5; cursor: default; }
  :is(button, textarea):focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
