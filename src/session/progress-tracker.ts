// What the view shows of a load: bytes done and total, and for downloads the speed and the
// time left. Stateful: it remembers when each phase began.
import type { LoadProgress } from '../../protocol/types.js';
import { formatBytes, formatDuration } from '../shared/format.js';

export interface ProgressView {
  /** 0..1, or undefined when the total is unknown. */
  fraction: number | undefined;
  text: string;
}

/**
 * Turns a stream of progress events into what the view shows: bytes done and total, and for
 * downloads the speed and time left, measured since this phase began.
 */
export class ProgressTracker {
  private phase: LoadProgress['phase'] | undefined;
  private startedAt = 0;
  private startLoaded = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  update(progress: LoadProgress): ProgressView {
    const now = this.now();
    if (progress.phase !== this.phase) {
      this.phase = progress.phase;
      this.startedAt = now;
      this.startLoaded = progress.loaded;
    }
    const fraction = progress.total > 0 ? Math.min(1, progress.loaded / progress.total) : undefined;
    if (progress.phase !== 'download') return { fraction, text: progress.text };

    const parts = [progress.total > 0 ? `${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}` : formatBytes(progress.loaded)];
    const seconds = (now - this.startedAt) / 1000;
    const bytesPerSecond = seconds > 0.5 ? (progress.loaded - this.startLoaded) / seconds : 0;
    if (bytesPerSecond > 0) {
      parts.push(`${formatBytes(bytesPerSecond)}/s`);
      if (progress.total > progress.loaded) {
        parts.push(`about ${formatDuration((progress.total - progress.loaded) / bytesPerSecond)} left`);
      }
    }
    return { fraction, text: `${progress.text}: ${parts.join(' · ')}` };
  }
}
