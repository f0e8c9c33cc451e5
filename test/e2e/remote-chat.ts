// The element on a page in any of the three engines (test/e2e/engines.ts): open it for a model,
// wait for it, ask it. Shared by the *.engines.spec.ts files.
import type { ModelRecord } from '../../protocol/types.js';
import { waitForFunction, type RemotePage } from '../browsers/remote-page.js';
import { PAGE_ORIGIN } from '../server.js';

export const ELEMENT_PAGE = `${PAGE_ORIGIN}/pages/element.html?dist=cross`;
const EVENTS = [
  'llama-chat-progress',
  'llama-chat-ready',
  'llama-chat-token',
  'llama-chat-message',
  'llama-chat-error',
  'llama-chat-action',
];

/** The tiny model by a URL relative to the page (/pages/…), with a query of its own so its requests can be counted. */
export function tinyModel(file = 'tiny.gguf', contextLength = 512): ModelRecord & { path: string } {
  const query = `?visit=${crypto.randomUUID()}`;
  return { id: 'tiny-test-model', engine: 'wllama', url: `../models/${file}${query}`, contextLength, path: `/models/${file}${query}` };
}

export async function modelRequests(path: string): Promise<number> {
  return Number(await (await fetch(`${PAGE_ORIGIN}/control/requests?url=${encodeURIComponent(path)}`)).text());
}

/** Opens the element page and adds <llama-chat> (as window.chat) for `record`; events are recorded. */
export async function openChat(remote: RemotePage, record: ModelRecord, attributes: Record<string, string> = {}): Promise<void> {
  await remote.goto(ELEMENT_PAGE);
  await waitForFunction(remote, () => customElements.get('llama-chat') !== undefined);
  await remote.evaluate(
    ({ record, attributes, events }) => {
      const page = window as unknown as { recorded: { type: string; detail: unknown }[]; chat: HTMLElement & Record<string, unknown> };
      page.recorded = [];
      for (const type of events) document.addEventListener(type, (e) => page.recorded.push({ type, detail: (e as CustomEvent).detail }));
      const chat = document.createElement('llama-chat') as unknown as HTMLElement & Record<string, unknown>;
      chat.models = [record];
      chat.setAttribute('model', record.id);
      for (const [name, value] of Object.entries(attributes)) chat.setAttribute(name, value);
      document.body.append(chat);
      page.chat = chat;
    },
    { record, attributes, events: EVENTS },
  );
}

/** Waits until the element is ready; fails at once with its error if it reports one, or with what it shows when it never gets there. */
export async function ready(remote: RemotePage): Promise<void> {
  const outcome = await waitForFunction(
    remote,
    () => {
      const page = window as unknown as { recorded: { type: string; detail: unknown }[]; chat: { status: string } };
      const error = page.recorded.find((e) => e.type === 'llama-chat-error');
      if (error) return { error: error.detail };
      return page.chat.status === 'ready' ? { ok: true } : false;
    },
    undefined,
    150_000,
  ).catch(async (error: Error) => {
    throw new Error(`${error.message.split('\n')[0]}\nWhat the page shows: ${JSON.stringify(await whereItStands(remote))}`);
  });
  if ((outcome as { error?: unknown }).error)
    throw new Error(`<llama-chat> failed: ${JSON.stringify((outcome as { error?: unknown }).error)}`);
}

/** The element's status and text, its events, and the origin's Web Locks: what a load that never ends waits on. */
export function whereItStands(remote: RemotePage): Promise<unknown> {
  return remote
    .evaluate(async () => {
      const page = window as unknown as { recorded: { type: string; detail: unknown }[]; chat: HTMLElement & { status: string } };
      const locks = await navigator.locks.query();
      return {
        status: page.chat.status,
        text: (page.chat.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').slice(0, 400),
        events: page.recorded.map((e) => e.type),
        lastProgress: page.recorded.filter((e) => e.type === 'llama-chat-progress').at(-1)?.detail,
        held: locks.held?.map((l) => `${l.name} (${l.mode})`),
        pending: locks.pending?.map((l) => `${l.name} (${l.mode})`),
      };
    })
    .catch((error: unknown) => String(error));
}

export function send(remote: RemotePage, text: string): Promise<string> {
  return remote.evaluate((text) => (window as unknown as { chat: { send(t: string): Promise<string> } }).chat.send(text), text);
}
