// What the element may do to the models stored on this device, on the person's request.
import type { ModelRecord } from '../../protocol/types.js';
import { browserServices } from '../session/browser-services.js';
import type { SessionClient } from '../session/session-types.js';

/** Whether `record` is stored complete here, asked of `client`'s worker, which then ends. */
export async function isStoredHere(client: SessionClient, record: ModelRecord): Promise<boolean> {
  try {
    return await client.isStored(record);
  } finally {
    client.terminate();
  }
}

/** A check whether a record is stored here, each asked of a short-lived worker for the page's `models`. */
export function storedCheck(models: () => readonly ModelRecord[]): (record: ModelRecord) => Promise<boolean> {
  return (record) => isStoredHere(browserServices.createClient(models()), record);
}
