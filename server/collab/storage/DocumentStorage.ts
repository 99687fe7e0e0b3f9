// What the collab server needs from a database: an append-only update log per document
// and its compaction into a snapshot. Implemented by SqlDocumentStorage.

export interface DocumentStorage {
  /** The whole stored state of a document as one Yjs update, or null when nothing is stored. */
  load(documentId: string): Promise<Uint8Array | null>;
  /** Appends one Yjs update to the log; resolves once the insert has committed. */
  append(documentId: string, update: Uint8Array): Promise<void>;
  /**
   * Merges the snapshot and the log rows into a new snapshot, deleting exactly the rows
   * merged — when the log is large enough for that to pay off; otherwise does nothing.
   */
  compact(documentId: string): Promise<void>;
  /** True when the database answers. */
  ping(): Promise<boolean>;
}
