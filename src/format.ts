// Pure formatting of sizes, durations and download progress for people.
import type { LoadProgress } from './types.js';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1234567 → "1.2 MB" (decimal units, as download sizes are usually quoted). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** 75 → "1 min 15 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${s % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

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

    const parts = [
      progress.total > 0
        ? `${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}`
        : formatBytes(progress.loaded),
    ];
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
