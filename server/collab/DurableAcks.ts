// Durable-save acks (PERSISTED in lib/protocolExtensions.ts) for one room: per connection that
// negotiated our extensions, how many of its document update frames were applied, how many of
// those are merged into the document, and how many were acknowledged. The room's UpdateWriter
// marks each write batch (mark) and reports its commit (committed) or that nothing is queued
// (idle); clients learn from the acks which of their edits are in the database.
import { encodePersistedAck } from "../../lib/protocolExtensions.ts";
import type { Connection } from "./Connection.ts";

interface UpdateCounts {
  /** Document update frames applied from this socket (or found to change nothing). */
  received: number;
  /**
   * Of those, how many are fully merged into the document. A frame whose dependencies have
   * not arrived is held by Yjs as pending: not in the document, so not written, so it must
   * not be acknowledged until the pending part merges.
   */
  merged: number;
  /** The count in the last ack sent, so an idle writer re-acks only what is new. */
  acknowledged: number;
}

export class DurableAcks {
  private readonly counts = new Map<Connection, UpdateCounts>();
  private persisted: Uint8Array;

  constructor(
    /** State vector of what the room loaded: all of it is in the database. */
    persistedStateVector: Uint8Array,
    /** Whether the document holds updates waiting for a missing dependency. */
    private readonly hasPendingUpdates: () => boolean,
  ) {
    this.persisted = persistedStateVector;
  }

  /** State vector of what is known to be in the database. */
  get persistedStateVector(): Uint8Array {
    return this.persisted;
  }

  /** Starts counting for a joined connection and tells it what is durable so far. */
  join(connection: Connection): void {
    if (!connection.extensions) return;
    this.counts.set(connection, { received: 0, merged: 0, acknowledged: 0 });
    connection.send(encodePersistedAck({ stateVector: this.persisted, durableUpdates: 0 }));
  }

  leave(connection: Connection): void {
    this.counts.delete(connection);
  }

  /** One more document update frame from `connection` was applied (or changed nothing). */
  received(connection: Connection): void {
    const counts = this.counts.get(connection);
    if (counts) counts.received++;
  }

  /** How many of the connection's update frames were accepted so far (a role notice tells it). */
  accepted(connection: Connection): number {
    return this.counts.get(connection)?.received ?? 0;
  }

  /** Taken with each write batch: per connection, its frames merged by then. */
  mark(): Map<Connection, number> {
    const marks = new Map<Connection, number>();
    for (const [connection, counts] of this.counts) marks.set(connection, this.merged(counts));
    return marks;
  }

  /** A batch marked with `marks` committed, making `stateVector` durable. */
  committed(stateVector: Uint8Array, marks: Map<Connection, number>): void {
    this.persisted = stateVector;
    for (const [connection, durable] of marks) {
      const counts = this.counts.get(connection);
      if (counts) this.send(connection, counts, durable);
    }
  }

  /** Nothing is queued for writing: every merged frame is durable (written, or a no-op). */
  idle(): void {
    for (const [connection, counts] of this.counts) {
      const durable = this.merged(counts);
      if (durable > counts.acknowledged) this.send(connection, counts, durable);
    }
  }

  private merged(counts: UpdateCounts): number {
    if (!this.hasPendingUpdates()) counts.merged = counts.received;
    return counts.merged;
  }

  private send(connection: Connection, counts: UpdateCounts, durable: number): void {
    counts.acknowledged = Math.max(counts.acknowledged, durable);
    connection.send(encodePersistedAck({ stateVector: this.persisted, durableUpdates: durable }));
  }
}
