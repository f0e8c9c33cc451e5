// Which engine a record names on this origin: tabs that ask for the same record (the same id,
// engine, files and settings) share one engine; any difference makes another.
import type { ModelRecord } from '../../protocol/types.js';

/** The Web Lock held by the worker that hosts `record`'s engine; the name of its join channel too. */
export function engineKey(record: ModelRecord): string {
  return `llama-chat:engine:${record.engine}:${record.id}:${fnv1a(stableJson(record))}`;
}

/** `engine:id` of the model an engine key names; undefined for any other lock name. */
export function modelOfKey(name: string): string | undefined {
  return /^llama-chat:engine:([^:]+):(.+):[0-9a-f]{8}$/.exec(name)?.slice(1, 3).join(':');
}

/** JSON with keys in order, so two tabs that build the same record differently agree. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short, stable hash: lock names stay readable, and a record's URLs are not spelled out in them. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
