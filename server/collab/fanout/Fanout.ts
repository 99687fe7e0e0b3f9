// Fan-out between instances: every instance that has a document loaded sees the document
// and awareness updates that clients sent to any other instance. Implemented over Redis
// pub/sub (RedisFanout); without REDIS_URL there is no fan-out and one instance serves all.
//
// Each update is written to the database once, by the instance its client sent it to (the
// origin), which numbers what it relays and says "stored up to N" after each commit. The
// others hold what they applied from it until then, and write it themselves when no word
// comes (the origin died between relay and commit): see UnconfirmedRelays.

/** What instances tell each other about one document. */
export type FanoutMessage =
  /** A Yjs update the sending instance applied from its own clients (or made itself): it writes
   *  it, and confirms with "stored" once committed. `seq` increases with each one it sends. */
  | { kind: "update"; payload: Uint8Array; seq: number }
  /** The sending instance committed every "update" it sent for this document up to `seq`. */
  | { kind: "stored"; seq: number }
  /** What a peer lacks, answering its "sync-request": nobody vouches that it is stored, so
   *  every instance that finds something new in it writes that part. */
  | { kind: "state"; payload: Uint8Array }
  /** A y-protocols awareness update. */
  | { kind: "awareness"; payload: Uint8Array }
  /** "I just loaded this document with this state vector; send me what I miss." */
  | { kind: "sync-request"; payload: Uint8Array }
  /** A comment event (a COMMENT frame, lib/protocolExtensions.ts) for the document's sockets. */
  | { kind: "comment"; payload: Uint8Array };

/** Receives a document's messages with the sending instance's id (stable for its lifetime). */
export type FanoutHandler = (message: FanoutMessage, sender: string) => void;

export interface Fanout {
  /** Starts receiving a document's messages from other instances; resolves once active. */
  subscribe(documentId: string, onMessage: FanoutHandler): Promise<void>;
  unsubscribe(documentId: string): Promise<void>;
  /** Sends to every other instance that has the document loaded. Fire and forget. */
  publish(documentId: string, message: FanoutMessage): void;
  /** How long an instance holds a relayed update unwritten waiting for its origin's "stored". */
  readonly confirmTimeoutMs: number;
  /** True when the broker answers. */
  ping(): Promise<boolean>;
  /** Calls `listener` with a document id when this instance may have missed messages of that
   *  document or others may have missed its own (a failed publish), and with null when that
   *  may be true of every document (the connection to the broker was lost and is back). */
  onResyncNeeded(listener: (documentId: string | null) => void): void;
  close(): Promise<void>;
}
