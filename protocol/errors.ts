// Errors as the page sees them: one code from a fixed list, and a message a person can act on.

/** The `code` of every error that reaches a user. */
export const ERROR_CODES = [
  'webgpu-unavailable',
  'insufficient-memory',
  'quota-exceeded',
  'network',
  'integrity',
  'device-lost',
  'worker-crashed',
  'aborted',
  'context-overflow',
  'bad-input',
  /** A structured answer (response_format, tool call) that does not match its schema. */
  'invalid-output',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class LlamaChatError extends Error {
  override name = 'LlamaChatError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** An error as it crosses the worker boundary: plain data. */
export interface WireError {
  code: ErrorCode;
  message: string;
}

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

function isWireError(value: unknown): value is WireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    isErrorCode((value as { code?: unknown }).code) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Any thrown value as a LlamaChatError; unknown failures keep their text under `fallback`. */
export function toLlamaChatError(value: unknown, fallback: ErrorCode = 'bad-input'): LlamaChatError {
  if (value instanceof LlamaChatError) return value;
  if (isWireError(value)) return new LlamaChatError(value.code, value.message);
  const message = value instanceof Error ? value.message : String(value);
  return new LlamaChatError(fallback, message);
}
