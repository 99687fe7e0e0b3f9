// A DocumentStorage whose appends first go through `beforeAppend` (record them, hold them back
// as during a database hiccup): everything else is the real storage's.
import type { DocumentStorage } from "../collab/storage/DocumentStorage.ts";

export function withAppendHook(storage: DocumentStorage, beforeAppend: (documentId: string, update: Uint8Array) => void | Promise<void>): DocumentStorage {
  return {
    load: (id) => storage.load(id),
    append: async (id, update) => {
      await beforeAppend(id, update);
      return storage.append(id, update);
    },
    compact: (id) => storage.compact(id),
    ping: () => storage.ping(),
  };
}
