// web-llm reports `{ progress, timeElapsed, text }` and names its phase only in the text. Our
// downloader has put every file in its cache before it starts, so what it reports is loading:
// reading the weights onto the GPU, then compiling shaders.
import type { InitProgressReport } from '@mlc-ai/web-llm';
import type { LoadProgress } from '../../../protocol/types.js';

/** Our one progress shape from web-llm's report of the steps after the download. */
export function mapWebLlmProgress(report: InitProgressReport): LoadProgress {
  const steps = /\[(\d+)\/(\d+)\]/.exec(report.text);
  // "Fetching" here reads shards from its cache (it fetches only what is missing, and nothing is).
  if (/^(?:Start to fetch params|Fetching param cache|Loading model from cache)/.test(report.text)) {
    return { phase: 'load', loaded: Number(steps?.[1] ?? 0), total: Number(steps?.[2] ?? 0), text: 'Loading the model onto the GPU' };
  }
  if (report.text.startsWith('Loading GPU shader modules') && steps) {
    return { phase: 'compile', loaded: Number(steps[1]), total: Number(steps[2]), text: 'Preparing the GPU' };
  }
  if (report.text.startsWith('Finish loading')) {
    return { phase: 'compile', loaded: 1, total: 1, text: 'Ready' };
  }
  return { phase: 'load', loaded: 0, total: 0, text: report.text };
}
