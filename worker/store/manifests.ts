// What the store records about each model it keeps (database.ts keeps them).
import type { EngineKind } from '../../protocol/engines.js';

export interface ModelManifest {
  id: string;
  engine: EngineKind;
  url: string;
  /** Bytes in the file; 0 while unknown. */
  size: number;
  chunkBytes: number;
  /** Chunks stored so far, in order from the start of the file. */
  storedChunks: number;
  /** Hex SHA-256 of each stored chunk, as it arrived from the network. */
  chunkHashes: string[];
  /** True only once every chunk is stored: a partial entry never claims to be complete. */
  complete: boolean;
  lastUsed: number;
  /** The bytes are in the model's OPFS file (model-files.ts), not in the chunks store. */
  inFile?: boolean;
}

/** One file of a folder model: downloaded through the store, then handed to its engine's own cache. */
export interface FolderFile {
  /** Path in the folder (`params_shard_0.bin`), or the model library's file name. */
  name: string;
  url: string;
  /** The engine's database the finished file went into (web-llm: `webllm/model`, …). */
  database: string;
  /** Bytes; 0 while unknown. */
  bytes: number;
  /** Downloaded, checked and handed over; its chunks are gone from the store. */
  done: boolean;
}

export interface FolderManifest {
  id: string;
  engine: EngineKind;
  url: string;
  files: FolderFile[];
  lastUsed: number;
}
