// The browser calls a download waits on, wrapped so that a stalled one can say which call it is
// waiting in and for how long: the body's reads, the OPFS file's handles, IndexedDB's requests
// and transactions, Web Locks, the digest, fetch itself. Only the soak's worker installs this;
// the store's code runs unchanged on top of it.

export interface PendingOp {
  what: string;
  ageMs: number;
}

const pending = new Map<number, { what: string; since: number }>();
/** Counts of calls by kind: a stall's report shows how far each kind had got. */
const calls = new Map<string, number>();
let nextId = 0;

function begin(what: string): () => void {
  const id = nextId++;
  pending.set(id, { what, since: performance.now() });
  const kind = what.replace(/ \(.*\)$/, '');
  calls.set(kind, (calls.get(kind) ?? 0) + 1);
  return () => pending.delete(id);
}

function track<T>(what: string, promise: Promise<T>): Promise<T> {
  const end = begin(what);
  promise.then(end, end);
  return promise;
}

/** The prototype of global class `name`, where this browser has it (WebKit lacks OPFS, some lack BYOB readers). */
function proto(name: string): object | undefined {
  const constructor = Reflect.get(globalThis, name) as { prototype?: object } | undefined;
  return constructor?.prototype;
}

/** Replaces `target[name]` (a method returning a promise) with one that tracks each call. */
function wrapAsync(target: object | undefined, name: string, what: (self: unknown, args: unknown[]) => string): void {
  if (!target) return;
  const original = Reflect.get(target, name) as ((...args: unknown[]) => Promise<unknown>) | undefined;
  if (typeof original !== 'function') return;
  Reflect.set(target, name, function (this: unknown, ...args: unknown[]) {
    return track(what(this, args), original.apply(this, args));
  });
}

/** An IndexedDB request: pending from the call to its success or error event. */
function wrapRequest(target: object | undefined, name: string, what: (self: unknown) => string): void {
  if (!target) return;
  const original = Reflect.get(target, name) as ((...args: unknown[]) => IDBRequest) | undefined;
  if (typeof original !== 'function') return;
  Reflect.set(target, name, function (this: unknown, ...args: unknown[]) {
    const request = original.apply(this, args);
    const end = begin(what(this));
    request.addEventListener('success', end);
    request.addEventListener('error', end);
    return request;
  });
}

export function instrument(): void {
  wrapAsync(
    proto('ReadableStreamBYOBReader'),
    'read',
    (_, [view]) => `body read, BYOB (${(view as ArrayBufferView).byteLength} bytes free)`,
  );
  wrapAsync(proto('ReadableStreamDefaultReader'), 'read', () => 'body read');
  wrapAsync(proto('ReadableStreamBYOBReader'), 'cancel', () => 'body cancel');
  wrapAsync(proto('ReadableStreamDefaultReader'), 'cancel', () => 'body cancel');
  wrapAsync(
    globalThis,
    'fetch',
    (_, [, init]) => `fetch, until the headers (${new Headers((init as RequestInit | undefined)?.headers).get('range') ?? 'no Range'})`,
  );
  wrapAsync(proto('SubtleCrypto'), 'digest', () => 'crypto.subtle.digest');
  wrapAsync(proto('StorageManager'), 'estimate', () => 'navigator.storage.estimate');
  wrapAsync(proto('StorageManager'), 'getDirectory', () => 'navigator.storage.getDirectory');
  wrapAsync(proto('FileSystemDirectoryHandle'), 'getFileHandle', (_, [name]) => `OPFS getFileHandle (${String(name)})`);
  wrapAsync(proto('FileSystemDirectoryHandle'), 'getDirectoryHandle', () => 'OPFS getDirectoryHandle');
  wrapAsync(proto('FileSystemDirectoryHandle'), 'removeEntry', () => 'OPFS removeEntry');
  wrapAsync(proto('FileSystemFileHandle'), 'getFile', () => 'OPFS getFile');
  wrapAsync(proto('FileSystemFileHandle'), 'createSyncAccessHandle', (_, [options]) => {
    const mode = (options as { mode?: string } | undefined)?.mode ?? 'readwrite';
    return `OPFS createSyncAccessHandle (${mode})`;
  });
  wrapRequest(proto('IDBObjectStore'), 'put', (store) => `IndexedDB put (${(store as IDBObjectStore).name})`);
  wrapRequest(proto('IDBObjectStore'), 'get', (store) => `IndexedDB get (${(store as IDBObjectStore).name})`);
  wrapRequest(proto('IDBObjectStore'), 'getAll', (store) => `IndexedDB getAll (${(store as IDBObjectStore).name})`);
  wrapRequest(proto('IDBObjectStore'), 'delete', (store) => `IndexedDB delete (${(store as IDBObjectStore).name})`);
  wrapRequest(proto('IDBFactory'), 'open', () => 'IndexedDB open');

  if (typeof IDBDatabase === 'function') wrapTransactions();
  if (typeof LockManager === 'function') wrapLocks();
}

function wrapTransactions(): void {
  const transaction = IDBDatabase.prototype.transaction as (this: IDBDatabase, ...args: unknown[]) => IDBTransaction;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: unknown[]) {
    const tx = transaction.apply(this, args);
    const end = begin(`IndexedDB transaction (${[...tx.objectStoreNames].join(', ')}, ${tx.mode})`);
    for (const type of ['complete', 'abort', 'error']) tx.addEventListener(type, end);
    return tx;
  } as IDBDatabase['transaction'];
}

function wrapLocks(): void {
  // A Web Lock is pending until granted; holding it (the download's whole length) is not waiting.
  const request = LockManager.prototype.request as (this: LockManager, ...args: unknown[]) => Promise<unknown>;
  LockManager.prototype.request = function (this: LockManager, name: unknown, ...rest: unknown[]) {
    const callback = rest.at(-1) as (lock: Lock | null) => unknown;
    const end = begin(`Web Lock, until granted (${String(name)})`);
    return request.call(this, name, ...rest.slice(0, -1), (lock: Lock | null) => {
      end();
      return callback(lock);
    });
  } as LockManager['request'];
}

/** What is pending now, oldest first, and how many calls of each kind were made. */
export function pendingOps(): { pending: PendingOp[]; calls: Record<string, number> } {
  const now = performance.now();
  const list = [...pending.values()].map(({ what, since }) => ({ what, ageMs: Math.round(now - since) }));
  return { pending: list.sort((a, b) => b.ageMs - a.ageMs), calls: Object.fromEntries(calls) };
}
