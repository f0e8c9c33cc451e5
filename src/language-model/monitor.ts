// create()'s monitor: a CreateMonitor whose downloadprogress events carry the spec's fraction
// (`loaded` from 0 to 1, `total` 1) and, beside it, the bytes (`loadedBytes`, `totalBytes`).
import type { LoadProgress } from '../../protocol/types.js';
import type { CreateMonitor } from './types.js';

export interface DownloadMonitor {
  progress(progress: LoadProgress): void;
  /** The model is ready: a download that was reported ends at 1. */
  done(): void;
}

class Monitor extends EventTarget implements CreateMonitor {
  ondownloadprogress: ((event: ProgressEvent) => void) | null = null;
  constructor() {
    super();
    this.addEventListener('downloadprogress', (event) => this.ondownloadprogress?.call(this, event as ProgressEvent));
  }
}

export function downloadMonitor(callback: ((monitor: CreateMonitor) => void) | undefined): DownloadMonitor {
  if (!callback) return { progress: () => {}, done: () => {} };
  const monitor = new Monitor();
  callback(monitor);
  let last = -1;
  let bytes = { loaded: 0, total: 0 };
  const fire = (fraction: number) => {
    if (fraction <= last) return;
    last = fraction;
    const event = new ProgressEvent('downloadprogress', { loaded: fraction, total: 1, lengthComputable: true });
    monitor.dispatchEvent(Object.defineProperties(event, { loadedBytes: { value: bytes.loaded }, totalBytes: { value: bytes.total } }));
  };
  return {
    progress({ phase, loaded, total }) {
      if (phase !== 'download' || total <= 0) return;
      bytes = { loaded, total };
      if (last < 0) fire(0); // the spec's first event says the download began
      fire(Math.min(loaded / total, 1));
    },
    done() {
      if (last >= 0) fire(1);
    },
  };
}
