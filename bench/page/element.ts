import type { LlamaChat, ModelRecord } from 'llama-chat';

/** Appends an autoloading <llama-chat> for `record`; `ready` settles on its ready or error event. */
export function addElement(
  record: ModelRecord,
  attributes: Record<string, string> = {},
): { element: LlamaChat; ready: Promise<number>; connectedAt: number } {
  const element = document.createElement('llama-chat');
  element.models = [record];
  element.setAttribute('model', record.id);
  element.setAttribute('autoload', '');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  const ready = new Promise<number>((resolve, reject) => {
    element.addEventListener('llama-chat-ready', () => resolve(performance.now()), { once: true });
    element.addEventListener(
      'llama-chat-error',
      (event) => reject(new Error(`<llama-chat>: ${event.detail.code}: ${event.detail.message}`)),
      { once: true },
    );
  });
  // append() runs connectedCallback synchronously: this is its moment.
  const connectedAt = performance.now();
  document.body.append(element);
  return { element, ready, connectedAt };
}
