// What the library relies on in wllama, tested against wllama's own code (the installed, pinned
// version, loaded on the page from node_modules) and the tiny model: the calls and options of
// worker/engines/wllama/backend.ts, the shapes it reads from them, the error text it parses,
// and the worker protocol that llama-cpp-liveness.ts and file-reads.ts step into (llama.cpp's
// worker started from a JavaScript Blob URL; the model read as fs.read_req → fs.read_res; a
// task's end carries its callbackId; the model's file put there by fs.alloc [name, size, in memory]
// before wllama.start, which lora-files.ts does for adapters). An upgrade that changes any of it fails here, by name.
import { expect, test } from '@playwright/test';

interface Contract {
  workerFromJavaScriptBlob: boolean;
  workerIsModule: boolean;
  readRequests: number;
  readRequestShape: boolean;
  readAnswersAreArrayBuffers: boolean;
  taskEndsWithCallbackId: boolean;
  /** The verbs wllama sends llama.cpp's worker, in order, with fs.alloc's third argument (lora-files.ts). */
  verbs: string[];
  vocabulary: number;
  deltas: number;
  deltaText: string;
  finishAtMaxTokens: string | null;
  timings: { prompt_n: number; cache_n?: number; predicted_n: number } | null;
  repeatedPromptCached: number;
  grammarAnswer: string;
  abortedAs: string;
  overWindowMessage: string;
  exited: boolean;
}

test('wllama keeps every call, shape, message and worker protocol the library relies on', async ({ page }) => {
  await page.goto('/pages/element.html');
  const contract = await page.evaluate(async (): Promise<Contract> => {
    type Chunk = {
      choices: { delta: { content?: string }; finish_reason?: string | null }[];
      timings?: { prompt_n: number; cache_n?: number; predicted_n: number };
    };
    type ChatOptions = {
      messages: { role: string; content: string }[];
      stream: true;
      max_tokens: number;
      temperature?: number;
      seed?: number;
      grammar?: string;
      abortSignal?: AbortSignal;
      onData(chunk: Chunk): void;
    };
    const module = '/vendor/wllama/index.js';
    const wllamaModule = (await import(module)) as {
      Wllama: new (
        paths: { default: string },
        config: { suppressNativeLog: boolean; logger: Record<'debug' | 'log' | 'warn' | 'error', () => void> },
      ) => {
        setCompat(paths: null): void;
        loadModel(files: Blob[], params: Record<string, number>): Promise<void>;
        getModelMetadata(): { hparams: { nVocab: number } };
        createChatCompletion(options: ChatOptions): Promise<unknown>;
        exit(): Promise<void>;
      };
      WllamaAbortError: new () => Error;
    };

    // What the library's liveness watcher and file reads see of llama.cpp's worker.
    const javascriptBlobs = new Set<string>();
    const createObjectURL = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (object: Blob | MediaSource) => {
      const url = createObjectURL(object);
      if (object instanceof Blob && object.type.includes('javascript')) javascriptBlobs.add(url);
      return url;
    };
    const seen = {
      fromBlob: false,
      module: false,
      reads: 0,
      readShape: true,
      answersBuffers: true,
      callbackIds: false,
      verbs: [] as string[],
    };
    const NativeWorker = window.Worker;
    window.Worker = class SpyWorker extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        seen.fromBlob ||= javascriptBlobs.has(String(url));
        seen.module ||= options?.type === 'module';
        const post = this.postMessage.bind(this) as (message: unknown, transfer?: Transferable[]) => void;
        this.postMessage = ((message: { verb?: string; args?: unknown[] }, transfer?: Transferable[]) => {
          if (message?.verb === 'fs.read_res') seen.answersBuffers &&= message.args?.[0] instanceof ArrayBuffer;
          else if (message?.verb === 'fs.alloc') seen.verbs.push(`fs.alloc ${String(message.args?.[0])} ${typeof message.args?.[2]}`);
          else if (message?.verb) seen.verbs.push(message.verb);
          post(message, transfer);
        }) as Worker['postMessage'];
        this.addEventListener('message', (event: MessageEvent<{ verb?: string; args?: unknown[]; callbackId?: number }>) => {
          const data = event.data;
          if (data?.verb === 'fs.read_req') {
            seen.reads += 1;
            const [name, offset, size] = data.args ?? [];
            seen.readShape &&= typeof name === 'string' && Number.isFinite(Number(offset)) && Number(size) > 0;
          }
          if (data?.callbackId !== undefined) seen.callbackIds = true;
        });
      }
    };

    const quiet = { debug: () => {}, log: () => {}, warn: () => {}, error: () => {} };
    const wllama = new wllamaModule.Wllama({ default: '/vendor/wllama/wasm/wllama.wasm' }, { suppressNativeLog: true, logger: quiet });
    wllama.setCompat(null);
    const file = await (await fetch('/models/tiny.gguf')).blob();
    await wllama.loadModel([file], { n_ctx: 512, n_threads: 1, n_gpu_layers: 0, n_parallel: 1, log_level: 2 });
    const vocabulary = wllama.getModelMetadata().hparams.nVocab;

    const messages = [{ role: 'user', content: 'Tell me a story' }];
    let deltas = 0;
    let deltaText = '';
    let finish: string | null = null;
    let timings: Contract['timings'] = null;
    await wllama.createChatCompletion({
      messages,
      stream: true,
      max_tokens: 12,
      temperature: 0,
      seed: 1,
      onData: (chunk) => {
        const choice = chunk.choices[0];
        if (choice?.delta.content) {
          deltas += 1;
          deltaText += choice.delta.content;
        }
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.timings) timings = chunk.timings;
      },
    });
    let repeatedPromptCached = 0;
    await wllama.createChatCompletion({
      messages,
      stream: true,
      max_tokens: 1,
      onData: (chunk) => void (chunk.timings && (repeatedPromptCached = chunk.timings.cache_n ?? 0)),
    });
    let grammarAnswer = '';
    await wllama.createChatCompletion({
      messages,
      stream: true,
      max_tokens: 8,
      temperature: 1,
      grammar: 'root ::= "yes" | "no"',
      onData: (chunk) => void (grammarAnswer += chunk.choices[0]?.delta.content ?? ''),
    });
    const abort = new AbortController();
    const abortedAs = await wllama
      .createChatCompletion({ messages, stream: true, max_tokens: 400, abortSignal: abort.signal, onData: () => abort.abort() })
      .then(
        () => 'not aborted',
        (error: unknown) => (error instanceof wllamaModule.WllamaAbortError ? 'WllamaAbortError' : String(error)),
      );
    const overWindowMessage = await wllama
      .createChatCompletion({ messages: [{ role: 'user', content: 'word '.repeat(2000) }], stream: true, max_tokens: 1, onData: () => {} })
      .then(
        () => 'answered',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    await wllama.exit();
    return {
      workerFromJavaScriptBlob: seen.fromBlob,
      workerIsModule: seen.module,
      readRequests: seen.reads,
      readRequestShape: seen.readShape,
      readAnswersAreArrayBuffers: seen.answersBuffers,
      taskEndsWithCallbackId: seen.callbackIds,
      verbs: seen.verbs,
      vocabulary,
      deltas,
      deltaText,
      finishAtMaxTokens: finish,
      timings,
      repeatedPromptCached,
      grammarAnswer,
      abortedAs,
      overWindowMessage,
      exited: true,
    };
  });

  // llama.cpp's worker: started from a JavaScript Blob URL as a module (llama-cpp-liveness.ts).
  expect(contract.workerFromJavaScriptBlob).toBe(true);
  expect(contract.workerIsModule).toBe(true);
  // The model read a piece at a time: fs.read_req [name, offset, size] → fs.read_res [ArrayBuffer] (file-reads.ts).
  expect(contract.readRequests).toBeGreaterThan(1);
  expect(contract.readRequestShape).toBe(true);
  expect(contract.readAnswersAreArrayBuffers).toBe(true);
  expect(contract.taskEndsWithCallbackId).toBe(true);
  // The model's file is put into llama.cpp's /models before it starts (lora-files.ts puts adapters there the same way).
  expect(contract.verbs.slice(0, 4)).toEqual([
    'module.init',
    'fs.alloc model-00001-of-00001.gguf boolean',
    'wllama.start',
    'wllama.action',
  ]);
  // What backend.ts reads back.
  expect(contract.vocabulary).toBeGreaterThan(0);
  expect(contract.deltas).toBeGreaterThan(1);
  expect(contract.deltaText.length).toBeGreaterThan(0);
  expect(contract.finishAtMaxTokens).toBe('length');
  expect(contract.timings?.prompt_n).toBeGreaterThan(0);
  expect(contract.timings?.predicted_n).toBeGreaterThan(0);
  expect(contract.repeatedPromptCached).toBeGreaterThan(0); // usage adds cache_n (usage-meter.ts)
  expect(['yes', 'no']).toContain(contract.grammarAnswer); // our JSON Schema and tool grammars go through `grammar`
  expect(contract.abortedAs).toBe('WllamaAbortError');
  expect(contract.overWindowMessage).toMatch(/request \((\d+) tokens\) exceeds the available context size/); // countTokens parses it
});
