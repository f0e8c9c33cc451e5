// Model URLs mean what they mean on the page: resolved against document.baseURI here, on the
// main thread, before the worker (whose base is the library's own URL, maybe a CDN's) sees them.
import { LlamaChatError } from '../../protocol/errors.js';
import type { ModelRecord } from '../../protocol/types.js';

function pageBase(): string {
  return globalThis.document?.baseURI ?? globalThis.location.href;
}

function absolute(url: string, record: ModelRecord, field: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    throw new LlamaChatError('bad-input', `The ${field} of model ${record.id} ("${url}") is not a URL.`);
  }
}

/** `record` with its `url`, `modelLib` and adapters' URLs absolute, as the page means them. */
export function withAbsoluteUrls(record: ModelRecord, base = pageBase()): ModelRecord {
  const resolved: ModelRecord = { ...record, url: absolute(record.url, record, 'url', base) };
  if (record.modelLib) resolved.modelLib = absolute(record.modelLib, record, 'modelLib', base);
  if (record.adapters) {
    resolved.adapters = record.adapters.map((a) => ({ ...a, url: absolute(a.url, record, `adapter "${a.id}" url`, base) }));
  }
  return resolved;
}
