// Figure 5: what the page's main thread did while an answer streamed, from a Chromium trace:
// every top-level task (ThreadControllerImpl::RunTask) on the renderer's main thread between two user-timing marks.
import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

export interface MainThreadWork {
  /** The longest single task in the window, ms. */
  longestTaskMs: number;
  /** All main-thread task time in the window, ms. */
  busyMs: number;
  windowMs: number;
}

const CATEGORIES = ['toplevel', 'blink.user_timing', '__metadata'].join(',');

export async function startTrace(session: CDPSession): Promise<void> {
  await session.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReturnAsStream' });
}

export async function stopTrace(session: CDPSession): Promise<TraceEvent[]> {
  const complete = new Promise<string>((resolve, reject) => {
    session.once('Tracing.tracingComplete', (event) => (event.stream ? resolve(event.stream) : reject(new Error('trace has no stream'))));
  });
  await session.send('Tracing.end');
  const handle = await complete;
  let text = '';
  for (;;) {
    const chunk = await session.send('IO.read', { handle });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await session.send('IO.close', { handle });
  const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] };
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** Main-thread tasks between the marks named `startMark` and `endMark`. */
export function mainThreadWork(events: readonly TraceEvent[], startMark: string, endMark: string): MainThreadWork {
  const start = events.find((e) => e.name === startMark);
  const end = events.find((e) => e.name === endMark);
  if (!start || !end) throw new Error(`trace lacks the marks ${startMark} / ${endMark}`);
  // The marks are written by the page's main thread, so they name its process and thread.
  const onMain = (e: TraceEvent): boolean => e.pid === start.pid && e.tid === start.tid;
  const mainName = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && onMain(e))?.args?.name;
  if (mainName !== 'CrRendererMain') throw new Error(`the marks are on thread "${mainName}", not the renderer's main thread`);

  const tasks = events
    .filter((e) => e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && e.dur !== undefined && onMain(e))
    .map((e) => ({ from: Math.max(e.ts, start.ts), to: Math.min(e.ts + e.dur!, end.ts) }))
    .filter((t) => t.to > t.from)
    .sort((a, b) => a.from - b.from);
  // Nested RunTasks (a nested run loop) must not count twice: merge overlaps.
  const merged: { from: number; to: number }[] = [];
  for (const task of tasks) {
    const previous = merged[merged.length - 1];
    if (previous && task.from < previous.to) previous.to = Math.max(previous.to, task.to);
    else merged.push({ ...task });
  }
  const lengths = merged.map((t) => (t.to - t.from) / 1000);
  return {
    longestTaskMs: Math.max(0, ...lengths),
    busyMs: lengths.reduce((a, b) => a + b, 0),
    windowMs: (end.ts - start.ts) / 1000,
  };
}
