import type { Page, Request } from '@playwright/test';
import type { ModelRecord } from '../../protocol/types.js';
import type { LlamaChat } from '../../src/element/llama-chat.js';

export const TINY_ID = 'tiny-test-model';

/** The generated tiny model as a model record, served by the test server from the page origin. */
export function tinyRecord(origin: string, query = ''): ModelRecord {
  return {
    id: TINY_ID,
    engine: 'wllama',
    url: `${origin}/models/tiny.gguf${query}`,
    label: 'Tiny test model (random weights)',
    contextLength: 512,
  };
}

/** The second tiny model: another vocabulary and seed, and a 4096-token window (tool rounds add up). */
export function tinyAltRecord(origin: string): ModelRecord {
  return { ...tinyRecord(origin), id: 'tiny-alt-model', url: `${origin}/models/tiny-alt.gguf`, contextLength: 4096 };
}

export interface RecordedEvent {
  type: string;
  detail: unknown;
  at: number;
}

declare global {
  interface Window {
    recorded: RecordedEvent[];
    chat: LlamaChat;
    /** The library's exports, on pages/headless.html. */
    llamaChat: typeof import('../../src/index.js');
  }
}

/** Opens a test page and waits until <llama-chat> is defined; events are recorded in window.recorded. */
export async function openPage(page: Page, path = '/pages/element.html'): Promise<void> {
  await page.goto(path);
  await page.waitForFunction(() => customElements.get('llama-chat') !== undefined);
  await page.evaluate(() => {
    window.recorded = [];
    for (const type of ['llama-chat-progress', 'llama-chat-ready', 'llama-chat-token', 'llama-chat-message', 'llama-chat-error']) {
      document.addEventListener(type, (e) => window.recorded.push({ type, detail: (e as CustomEvent).detail, at: performance.now() }));
    }
  });
}

/** Adds <llama-chat> for the tiny model (as window.chat) with the given attributes. */
export async function addChat(page: Page, attributes: Record<string, string> = {}, query = ''): Promise<void> {
  await addChatFor(page, tinyRecord(new URL(page.url()).origin, query), attributes);
}

/** Adds <llama-chat> (as window.chat) running `record`, with the given attributes. */
export async function addChatFor(page: Page, record: ModelRecord, attributes: Record<string, string> = {}): Promise<void> {
  await page.evaluate(
    ({ attributes, record }) => {
      const chat = document.createElement('llama-chat');
      chat.models = [record];
      chat.setAttribute('model', record.id);
      for (const [name, value] of Object.entries(attributes)) chat.setAttribute(name, value);
      document.body.append(chat);
      window.chat = chat;
    },
    { attributes, record },
  );
}

export async function events(page: Page, type: string): Promise<RecordedEvent[]> {
  return page.evaluate((type) => window.recorded.filter((e) => e.type === type), type);
}

/** Requests for model bytes (the .gguf), as Playwright saw them leave the page. */
export function modelRequestLog(page: Page): Request[] {
  const log: Request[] = [];
  page.context().on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/models/')) log.push(request);
  });
  return log;
}

/** Waits until the element is ready; fails at once, with its message, if it reports an error. */
export async function waitReady(page: Page): Promise<void> {
  const handle = await page.waitForFunction(() => {
    const error = window.recorded.find((e) => e.type === 'llama-chat-error');
    if (error) return { error: error.detail };
    return window.chat.status === 'ready' ? { ok: true } : false;
  });
  const outcome = (await handle.jsonValue()) as { error?: unknown };
  if (outcome.error) throw new Error(`<llama-chat> failed: ${JSON.stringify(outcome.error)}`);
}
