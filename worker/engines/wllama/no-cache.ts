// wllama builds a model cache of its own (in OPFS) unless it is given one, and that throws
// "No supported storage backend found" where OPFS is missing (WebKit, Safari). The library never
// lets wllama download or keep anything: model bytes come from the store (worker/store/) as a
// Blob. So wllama gets a cache that is always there, holds nothing and probes no storage.
import { CacheManager } from '@wllama/wllama/esm/index.js';

type StorageBackend = NonNullable<ConstructorParameters<typeof CacheManager>[0]>[number];

const nothingKept: StorageBackend = {
  isSupported: () => true,
  read: async () => null,
  write: async () => {
    throw new Error('llama-chat keeps model files in its own store, not in wllama’s cache');
  },
  getSize: async () => -1,
  list: async () => [],
  delete: async () => {},
};

export function emptyWllamaCache(): CacheManager {
  return new CacheManager([nothingKept]);
}
