// OpenAI's HTTP API, answered on this device: `engine.fetch` has fetch's signature, so clients
// that take a `fetch` option (OpenAI's `openai`, the AI SDK's `@ai-sdk/openai-compatible`) run
// against the local model unchanged. Nothing goes over the network; the base URL is whatever the
// client was given (only the path's end is read). Errors come back as OpenAI's error bodies.
import { toLlamaChatError } from '../../protocol/errors.js';
import type { ChatCompletionChunk, ChatCompletionRequest, FinishReason, ModelRecord } from '../../protocol/types.js';

/** What the adapter needs of an engine: its model and OpenAI-shaped completions. */
export interface LocalCompletions {
  readonly model: ModelRecord;
  stream(request: ChatCompletionRequest): AsyncIterable<ChatCompletionChunk>;
  complete(request: ChatCompletionRequest): Promise<unknown>;
  interrupt(): Promise<void>;
}

export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

const JSON_HEADERS = { 'content-type': 'application/json' };

export function openAiFetch(engine: LocalCompletions): FetchFunction {
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw abortError();
    const path = new URL(request.url, globalThis.location?.href).pathname.replace(/\/+$/, '');
    const model = engine.model.id;
    if (request.method === 'GET' && path.endsWith('/models')) {
      return json({ object: 'list', data: [modelObject(model)] });
    }
    const named = /\/models\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && named) {
      const id = decodeURIComponent(named[1]!);
      return id === model ? json(modelObject(model)) : unknownModel(id);
    }
    if (!path.endsWith('/chat/completions')) {
      return failure(
        404,
        `Unknown request URL: ${request.method} ${path}. This engine answers POST /v1/chat/completions and GET /v1/models.`,
        'unknown_url',
      );
    }
    if (request.method !== 'POST') return failure(405, `Use POST for ${path}.`, 'method_not_allowed');
    let body: (ChatCompletionRequest & { model?: unknown }) | undefined;
    try {
      body = (await request.json()) as ChatCompletionRequest & { model?: unknown };
    } catch {
      if (request.signal.aborted) throw abortError();
      return failure(400, 'The request body is not valid JSON.', 'invalid_json');
    }
    if (typeof body !== 'object' || body === null) return failure(400, 'The request body must be a JSON object.', 'invalid_request');
    if (body.model !== model) return unknownModel(String(body.model));
    const { model: _model, ...completion } = body;
    return body.stream ? streamed(engine, completion, request.signal) : whole(engine, completion, request.signal);
  };
}

async function whole(engine: LocalCompletions, request: ChatCompletionRequest, signal: AbortSignal): Promise<Response> {
  if (signal.aborted) throw abortError();
  const stop = () => void engine.interrupt();
  signal.addEventListener('abort', stop, { once: true });
  try {
    const completion = await engine.complete(request);
    if (signal.aborted) throw abortError();
    return json(openAiFinish(completion));
  } catch (error) {
    if (signal.aborted) throw abortError();
    return errorResponse(error);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** Server-Sent Events, as OpenAI streams: one `data:` line per chunk, usage in a chunk of its own, then `[DONE]`. */
async function streamed(engine: LocalCompletions, request: ChatCompletionRequest, signal: AbortSignal): Promise<Response> {
  const chunks = engine.stream(request)[Symbol.asyncIterator]();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    void chunks.return?.(); // interrupts the answer
  };
  // From now on, even while the prompt is read before the first chunk.
  signal.addEventListener('abort', end, { once: true });
  let first: IteratorResult<ChatCompletionChunk>;
  try {
    first = await chunks.next(); // a request the engine refuses is an error status, not a broken stream
  } catch (error) {
    if (signal.aborted) throw abortError();
    return errorResponse(error);
  }
  if (signal.aborted) throw abortError();
  const encoder = new TextEncoder();
  const event = (data: unknown) => encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      signal.addEventListener('abort', () => controller.error(abortError()), { once: true });
      try {
        for (let next = first; !next.done && !ended; next = await chunks.next()) {
          const { usage, ...chunk } = next.value;
          if (chunk.choices.length > 0) controller.enqueue(event(openAiFinish(chunk)));
          if (usage) controller.enqueue(event({ ...chunk, choices: [], usage }));
        }
        if (ended) return;
        ended = true;
        controller.enqueue(event('[DONE]'));
        controller.close();
      } catch (error) {
        if (!signal.aborted) controller.error(toLlamaChatError(error));
      }
    },
    cancel: end,
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
}

/** OpenAI has no "abort" finish reason: an answer cut short by its client ends as "stop". */
function openAiFinish<T>(value: T): T {
  const choices = (value as { choices?: { finish_reason: FinishReason | null }[] }).choices;
  if (!choices?.some((c) => c.finish_reason === 'abort')) return value;
  return { ...value, choices: choices.map((c) => (c.finish_reason === 'abort' ? { ...c, finish_reason: 'stop' } : c)) };
}

function modelObject(id: string) {
  return { id, object: 'model', created: 0, owned_by: 'llama-chat' };
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: JSON_HEADERS });
}

function failure(status: number, message: string, code: string, type = 'invalid_request_error', param: string | null = null): Response {
  return json({ error: { message, type, param, code } }, status);
}

function unknownModel(id: string): Response {
  return failure(
    404,
    `The model '${id}' does not exist here: this engine runs only the model it loaded.`,
    'model_not_found',
    'invalid_request_error',
    'model',
  );
}

/** Our error codes as OpenAI's statuses: the request's fault is 4xx, the engine's 5xx. */
function errorResponse(error: unknown): Response {
  const failed = toLlamaChatError(error);
  if (failed.code === 'bad-input') return failure(400, failed.message, 'invalid_request');
  if (failed.code === 'context-overflow') return failure(400, failed.message, 'context_length_exceeded');
  return failure(500, failed.message, failed.code, 'server_error');
}

function abortError(): DOMException {
  return new DOMException('The request was aborted.', 'AbortError');
}
