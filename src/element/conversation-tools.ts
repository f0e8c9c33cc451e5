// The conversation's own controls as one part, loaded when the element first connects so the
// page's first script stays small: the buttons under each message and the header's menu.
import { ConversationMenu, type ConversationMenuHost } from './conversation-menu.js';
import { MessageActions, type MessageActionsHost, type ViewHost } from './message-actions.js';

export interface ConversationTools {
  actions: MessageActions;
  menu: ConversationMenu;
}

export function conversationTools(element: ViewHost, host: MessageActionsHost & ConversationMenuHost): ConversationTools {
  return { actions: new MessageActions(element, host), menu: new ConversationMenu(element, host) };
}
