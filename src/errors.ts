import { transferHandlers } from 'comlink';

/** The `code` of every error that reaches a user (see DESIGN.md). */
export type ErrorCode =
  | 'webgpu-unavailable'
  | 'insufficient-memory'
  | 'quota-exceeded'
  | 'network'
  | 'integrity'
  | 'device-lost'
  | 'worker-crashed'
  | 'aborted'
  | 'context-overflow'
  | 'bad-input';

export class LlamaChatError extends Error {
  override name = 'LlamaChatError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface WireError {
  code: ErrorCode;
  message: string;
}

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'webgpu-unavailable', 'insufficient-memory', 'quota-exceeded', 'network', 'integrity',
  'device-lost', 'worker-crashed', 'aborted', 'context-overflow', 'bad-input',
]);

function isWireError(value: unknown): value is WireError {
  return (
    typeof value === 'object' && value !== null &&
    CODES.has(String((value as { code?: unknown }).code)) &&
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

// Comlink sends thrown errors as { name, message, stack } only; carry our `code` across the
// worker boundary too. Both sides import this module, so both install the same handler.
const comlinkThrow = transferHandlers.get('throw');
if (comlinkThrow) {
  transferHandlers.set('throw', {
    canHandle: comlinkThrow.canHandle,
    serialize: (thrown: unknown) => {
      const error = toLlamaChatError((thrown as { value: unknown }).value);
      return [{ code: error.code, message: error.message }, []];
    },
    deserialize: (wire: unknown) => {
      throw toLlamaChatError(wire);
    },
  });
}
