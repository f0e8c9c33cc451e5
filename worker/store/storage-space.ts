// Room for a model: refused before its download when the browser says it cannot fit, and the
// browser's refusals while saving told as what they are (out of room), with the way on.
import { LlamaChatError } from '../../protocol/errors.js';
import type { ModelRecord } from '../../protocol/types.js';

export async function ensureSpace(record: ModelRecord, bytesNeeded: number): Promise<void> {
  if (!navigator.storage?.estimate || !(bytesNeeded > 0)) return;
  const { usage = 0, quota = Infinity } = await navigator.storage.estimate();
  if (bytesNeeded > quota) {
    // No amount of freeing space can help: the model is larger than all this site may store.
    throw new LlamaChatError(
      'bad-input',
      `${record.id} needs ${formatMB(bytesNeeded)} of storage, more than this browser lets the site store at all (${formatMB(quota)}). Choose a smaller model.`,
    );
  }
  const available = Math.max(0, quota - usage);
  if (bytesNeeded > available) {
    throw new LlamaChatError(
      'quota-exceeded',
      `${record.id} needs ${formatMB(bytesNeeded)} (${bytesNeeded} bytes) of storage but only ${formatMB(available)} (${available} bytes) is available. Free some space (delete cached models or site data) and try again.`,
    );
  }
}

export async function storeOrFail<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'QuotaExceededError') {
      throw new LlamaChatError(
        'quota-exceeded',
        'The browser ran out of storage while saving the model. Free some space (a private window keeps far less than a normal one: open the page in a normal window) and try again; the download resumes where it stopped.',
      );
    }
    if (error instanceof DOMException) {
      // Never a bad input of the page's: what the browser refused, and the way on (its storage).
      throw new LlamaChatError(
        'quota-exceeded',
        `The browser refused to save the model (${error.name}: ${error.message}). Free some space, or allow this site to store data, and try again; the download resumes where it stopped.`,
      );
    }
    throw error;
  }
}

export function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
