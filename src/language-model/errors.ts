// Failures in the Prompt API's terms: DOMExceptions with the spec's names, the library's own
// error (and its code) kept as the cause.
import { LlamaChatError, type ErrorCode } from '../../protocol/errors.js';

const NAMES: Record<ErrorCode, string> = {
  aborted: 'AbortError',
  'bad-input': 'NotSupportedError',
  'webgpu-unavailable': 'NotSupportedError',
  'insufficient-memory': 'NotSupportedError',
  'context-overflow': 'QuotaExceededError',
  'quota-exceeded': 'QuotaExceededError',
  network: 'NetworkError',
  integrity: 'NetworkError',
  'device-lost': 'OperationError',
  'worker-crashed': 'OperationError',
  'invalid-output': 'UnknownError',
};

export function domError(name: string, message: string, cause?: unknown): DOMException {
  const error = new DOMException(message, name);
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause });
  return error;
}

export type QuotaExceeded = DOMException & { readonly requested: number; readonly quota: number };

type QuotaExceededConstructor = new (message: string, options: { requested: number; quota: number }) => QuotaExceeded;

/** The spec's QuotaExceededError: the browser's own class where it has one (WebIDL's new subclass), else a DOMException so named. */
export function quotaExceeded(requested: number, quota: number): QuotaExceeded {
  const message = `The input needs ${requested} tokens of context; the model has ${quota}.`;
  const Native = (globalThis as { QuotaExceededError?: QuotaExceededConstructor }).QuotaExceededError;
  if (typeof Native === 'function') return new Native(message, { requested, quota });
  const error = new DOMException(message, 'QuotaExceededError');
  return Object.defineProperties(error, { requested: { value: requested }, quota: { value: quota } }) as QuotaExceeded;
}

/** What an aborted call rejects with: the signal's reason, as the spec says. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Any failure as the Prompt API's: DOMExceptions and TypeErrors as they are, the library's by their code. */
export function toDomError(error: unknown): unknown {
  if (error instanceof DOMException || error instanceof TypeError) return error;
  if (error instanceof LlamaChatError) return domError(NAMES[error.code], error.message, error);
  return domError('UnknownError', error instanceof Error ? error.message : String(error), error);
}
