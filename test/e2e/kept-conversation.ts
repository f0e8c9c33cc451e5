// A conversation put where the element keeps it (IndexedDB `llama-chat-history`, idb-keyval's
// store `conversations`), as an earlier visit would have left it: for tests of restoring.
import type { Page } from '@playwright/test';
import type { RemotePage } from '../browsers/remote-page.js';

export interface KeptMessage {
  role: 'user' | 'assistant';
  content: string;
}

export function keepConversation(page: Page | RemotePage, key: string, messages: KeptMessage[]): Promise<void> {
  return (page as RemotePage).evaluate(
    ({ key, messages }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('llama-chat-history');
        open.onupgradeneeded = () => open.result.createObjectStore('conversations');
        open.onsuccess = () => {
          const tx = open.result.transaction('conversations', 'readwrite');
          tx.objectStore('conversations').put({ version: 1, messages }, key);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    { key, messages },
  );
}
