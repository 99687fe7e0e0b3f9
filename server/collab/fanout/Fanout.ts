// Fan-out between instances: every instance that has a document loaded sees the document
// and awareness updates that clients sent to any other instance. Implemented over Redis
// pub/sub (RedisFanout); without REDIS_URL there is no fan-out and one instance serves all.

/** What instances tell each other about one document. */
export type FanoutMessage =
  /** A Yjs update applied by the sending instance. */
  | { kind: "update"; payload: Uint8Array }
  /** A y-protocols awareness update. */
  | { kind: "awareness"; payload: Uint8Array }
  /** "I just loaded this document with this state vector; send me what I miss." */
  | { kind: "sync-request"; payload: Uint8Array };

export interface Fanout {
  /** Starts receiving a document's messages from other instances; resolves once active. */
  subscribe(documentId: string, onMessage: (message: FanoutMessage) => void): Promise<void>;
  unsubscribe(documentId: string): Promise<void>;
  /** Sends to every other instance that has the document loaded. Fire and forget. */
  publish(documentId: string, message: FanoutMessage): void;
  /** True when the broker answers. */
  ping(): Promise<boolean>;
  /** Calls `listener` with a document id when this instance may have missed messages of that
   *  document or others may have missed its own (a failed publish), and with null when that
   *  may be true of every document (the connection to the broker was lost and is back). */
  onResyncNeeded(listener: (documentId: string | null) => void): void;
  close(): Promise<void>;
}
