// The conversation's own controls as one part, loaded when the element first connects so the
// page's first script stays small: the buttons under each message and the header's menu, with
// their styles.
import { unsafeCSS } from 'lit';
import { ConversationMenu, type ConversationMenuHost } from './conversation-menu.js';
import { MessageActions, type MessageActionsHost, type ViewHost } from './message-actions.js';
// The stylesheet as text, minified by Vite's CSS pipeline, as the element's own.
import stylesheet from './conversation-tools.css?inline';

export interface ConversationTools {
  actions: MessageActions;
  menu: ConversationMenu;
}

export function conversationTools(element: ViewHost, host: MessageActionsHost & ConversationMenuHost): ConversationTools {
  addStyles(element.renderRoot);
  return { actions: new MessageActions(element, host), menu: new ConversationMenu(element, host) };
}

/** After the element's own sheet, as Lit adds it: a constructed sheet, or a <style> where those are missing. */
function addStyles(root: HTMLElement | DocumentFragment): void {
  const sheet = unsafeCSS(stylesheet).styleSheet;
  if (sheet && root instanceof ShadowRoot) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = stylesheet;
  root.append(style);
}
