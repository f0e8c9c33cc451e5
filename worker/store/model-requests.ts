// The model store's HTTP requests: a model file (or part of it) fetched with nothing about the
// page or the person, and failures told in words a person can act on, without the URL's query
// (signed URLs carry secrets there) or anything the server says about itself.
import { LlamaChatError } from '../../protocol/errors.js';
import type { ModelRecord } from '../../protocol/types.js';
import { realClock, StallWatchdog, stallTimes, type StallTimes } from './stall-watchdog.js';

/** Model requests carry nothing about the page or the person: no cookies, no referrer. */
const MODEL_REQUEST: RequestInit = { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' };

/** The model file from `range` on (the whole file without one); `signal` drops the request and its body. */
export async function fetchModel(record: ModelRecord, range: string | undefined, signal?: AbortSignal): Promise<Response> {
  const headers: HeadersInit = range ? { Range: range } : {};
  let response: Response;
  try {
    response = await fetch(record.url, { headers, ...MODEL_REQUEST, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    throw await unreachable(record);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    const what = response.status === 404 ? 'has no file at' : `answered ${response.status} for`;
    throw new LlamaChatError('network', `The model server ${what} ${shownUrl(record.url)}. Check the model URL, then try again.`);
  }
  return response;
}

/**
 * Bytes `start`..`end` (inclusive) of the model file, for repairing one chunk. A server that
 * stops sending for `times.resumeAfterMs` ends it with `network`, as the whole download would.
 */
export async function fetchRange(
  record: ModelRecord,
  start: number,
  end: number,
  times?: Partial<StallTimes>,
): Promise<Uint8Array<ArrayBuffer>> {
  const failed = () => new LlamaChatError('network', `Could not download a damaged part of ${record.id} again. Try again.`);
  const control = new AbortController();
  const watchdog = new StallWatchdog(stallTimes(times), realClock);
  const stop = watchdog.watch({ quiet: () => {}, stalled: () => control.abort() });
  try {
    const response = await fetchModel(record, `bytes=${start}-${end}`, control.signal);
    const bytes = new Uint8Array(end - start + 1);
    let filled = 0;
    const reader = response.body!.getReader();
    for (;;) {
      const read = await reader.read().catch(() => undefined); // a broken connection: too few bytes, below
      if (!read || read.done) break;
      const { value } = read;
      watchdog.gained();
      if (filled + value.length > bytes.length) throw failed();
      bytes.set(value, filled);
      filled += value.length;
    }
    if (response.status !== 206 || filled !== bytes.length) throw failed();
    return bytes;
  } catch (error) {
    throw control.signal.aborted ? failed() : error;
  } finally {
    stop();
    control.abort();
  }
}

/**
 * Why a fetch failed without an answer: a server that answers an opaque (no-cors) request but
 * refused the real one does not allow this page to read it (CORS); otherwise it was unreachable.
 */
async function unreachable(record: ModelRecord): Promise<LlamaChatError> {
  const answers = await fetch(record.url, { ...MODEL_REQUEST, method: 'HEAD', mode: 'no-cors' }).then(
    () => true,
    () => false,
  );
  const host = new URL(record.url).host;
  return answers
    ? new LlamaChatError(
        'network',
        `The server ${host} does not let this page read ${shownUrl(record.url)} (no CORS permission). Serve the model with Access-Control-Allow-Origin for this site, or from this site itself.`,
      )
    : new LlamaChatError('network', `Could not reach ${host} to download the model. Check the connection and try again.`);
}

/** A URL as people see it: without its query string (signed URLs carry secrets there). */
export function shownUrl(url: string): string {
  const { origin, pathname } = new URL(url);
  return origin + pathname;
}

/** The file's whole size from a 206's Content-Range ("bytes 100-199/2000" → 2000); 0 when unknown. */
export function totalFromContentRange(response: Response): number {
  const total = response.headers.get('content-range')?.split('/')[1];
  return total && total !== '*' ? Number(total) : 0;
}

/** A compressed body, whose Content-Length counts compressed bytes, not the file's. */
export function isEncoded(response: Response): boolean {
  const encoding = response.headers.get('content-encoding');
  return !!encoding && encoding !== 'identity';
}
