import { join } from "node:path";
import { type OpenStorageOptions, openStorage, type Storage } from "@devflow/storage";
import { onCleanup, tempDir } from "./cleanup.js";

/** A real SQLite storage on a file in a temp dir; closed, then removed, after the test. */
export function openTempStorage(options: Omit<OpenStorageOptions, "path"> = {}): Storage {
  const storage = openStorage({ ...options, path: join(tempDir("devflow-db-"), "devflow.db") });
  // Cleanups run last registered first: the storage closes before its directory goes.
  onCleanup(() => storage.close());
  return storage;
}
