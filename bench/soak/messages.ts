// What the soak's page and its worker say to each other.
import type { LoadProgress, ModelRecord } from '../../protocol/types.js';
import type { StallTimes } from '../../worker/store/stall-watchdog.js';
import type { PendingOp } from './pending-ops.js';

export type SoakRequest = { type: 'run'; record: ModelRecord; stallTimes?: Partial<StallTimes> } | { type: 'where' };

export type WorkerMessage =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'done'; size: number; ms: number }
  | { type: 'failed'; code: string; message: string }
  | { type: 'where'; pending: PendingOp[]; calls: Record<string, number>; locks: unknown };

/** What the page reports to the test server (/control/report), once a second and at the end. */
export interface SoakStatus {
  mode: 'store' | 'engine';
  loaded: number;
  total: number;
  text: string;
  /** Progress texts other than "Downloading …", with the seconds since the start at which each was first seen. */
  notes: { at: number; text: string }[];
  /** Seconds since the last byte of progress. */
  quietFor: number;
  done?: { size: number; ms: number };
  failed?: { code: string; message: string };
  /** Where the worker waits, asked once progress has been quiet for a while: the first answer given in a silence. */
  where?: Where;
  userAgent: string;
}

/** Where the worker waited, asked `askedAfter` seconds into a silence. */
export type Where = Omit<Extract<WorkerMessage, { type: 'where' }>, 'type'> & { askedAfter: number };

export function keepWhere(status: SoakStatus, answer: Where): void {
  // An answer that came after the silence ended says nothing of it; the first one says the most.
  if (answer.askedAfter > 0 && !status.where) status.where = answer;
}
