// The benchmark page's API, as window.bench, for the driver to call with page.evaluate().
import type { BenchApi } from './protocol.js';
import { loadWithEngine, unloadEngine } from './load.js';
import { directTimeToReady, elementTimeToReady, workerStartup } from './time-to-ready.js';
import { prepareThreads, runThreads } from './threads.js';
import { prepareTokenPath, runConstrained, runStream } from './token-path.js';
import { loadAlone, readStore, unloadAlone, wllamaIngest } from './warm-load.js';
import { loraRun } from './lora.js';
import { diskWrite, mlcDownload, rawFetch, storeRawRead, wllamaPhases, wllamaWithSettings } from './real-size.js';

const bench: BenchApi = {
  prepareThreads,
  runThreads,
  prepareTokenPath,
  runStream,
  runConstrained,
  elementTimeToReady,
  workerStartup,
  directTimeToReady,
  loadWithEngine,
  unloadEngine,
  readStore,
  wllamaIngest,
  loadAlone,
  unloadAlone,
  rawFetch,
  storeRawRead,
  diskWrite,
  wllamaPhases,
  mlcDownload,
  wllamaWithSettings,
  loraRun,
};
window.bench = bench;
window.dispatchEvent(new Event('bench-ready'));
