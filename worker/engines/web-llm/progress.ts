// web-llm reports `{ progress, timeElapsed, text }` and names its phase only in the text.
import type { InitProgressReport } from '@mlc-ai/web-llm';
import type { LoadProgress } from '../../../protocol/types.js';

/** Our one progress shape from web-llm's report; bytes from the model's download size. */
export function mapWebLlmProgress(report: InitProgressReport, sizeBytes: number): LoadProgress {
  const bytes = Math.round(Math.min(1, Math.max(0, report.progress)) * sizeBytes);
  const steps = /\[(\d+)\/(\d+)\]/.exec(report.text);
  if (report.text.startsWith('Fetching param cache') || report.text.startsWith('Start to fetch params')) {
    return { phase: 'download', loaded: bytes, total: sizeBytes, text: 'Downloading the model' };
  }
  if (report.text.startsWith('Loading model from cache')) {
    return { phase: 'load', loaded: bytes, total: sizeBytes, text: 'Loading the model onto the GPU' };
  }
  if (report.text.startsWith('Loading GPU shader modules') && steps) {
    return { phase: 'compile', loaded: Number(steps[1]), total: Number(steps[2]), text: 'Preparing the GPU' };
  }
  if (report.text.startsWith('Finish loading')) {
    return { phase: 'compile', loaded: 1, total: 1, text: 'Ready' };
  }
  return { phase: 'load', loaded: 0, total: 0, text: report.text };
}
