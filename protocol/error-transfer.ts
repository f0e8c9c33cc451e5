// Comlink sends thrown errors as { name, message, stack } only; this carries our `code` across
// the worker boundary too. Both threads call it once before talking to each other.
import { transferHandlers } from 'comlink';
import { toLlamaChatError, type WireError } from './errors.js';

let installed = false;

export function installErrorTransfer(): void {
  const comlinkThrow = transferHandlers.get('throw');
  if (installed || !comlinkThrow) return;
  installed = true;
  transferHandlers.set('throw', {
    canHandle: comlinkThrow.canHandle,
    serialize: (thrown: unknown) => {
      const error = toLlamaChatError((thrown as { value: unknown }).value);
      const wire: WireError = { code: error.code, message: error.message };
      return [wire, []];
    },
    deserialize: (wire: unknown) => {
      throw toLlamaChatError(wire);
    },
  });
}
