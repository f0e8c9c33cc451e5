// What the element may do to the models stored on this device, on the person's request.
import type { SessionClient } from './session-types.js';

/** After quota-exceeded: deletes the stored models other than `keep`, then ends the client. */
export async function deleteOtherModels(client: SessionClient, keep: string | undefined): Promise<void> {
  try {
    for (const cached of await client.cache.list()) {
      if (cached.id !== keep) await client.cache.delete(cached.id);
    }
  } finally {
    client.terminate();
  }
}
