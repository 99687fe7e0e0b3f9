// What code outside the collab server may watch of a loaded document (the documents row's
// projection: server/documents/DocumentProjection.ts; the version history:
// server/history/VersionRecorder.ts), without the room knowing what it is for.
import type { Transaction } from "yjs";
import type { Room } from "./Room.ts";

export interface RoomObserver {
  /** The room is loaded and registered (joiners may already be served). */
  loaded(room: Room): void;
  /**
   * Something changed the room's document: `origin` is the Connection that sent the update, or
   * the symbol of a server-side change (fan-out, content API, ...). Called for every update in
   * the hot path: it must only note the fact (no I/O, no encoding). `transaction` is the Yjs
   * transaction that made it (what it deleted, which clients' states it advanced).
   */
  changed(room: Room, origin: unknown, transaction: Transaction): void;
  /** The room's update log was compacted into a snapshot while it stays loaded. */
  compacted(room: Room): void;
  /** The room is about to unload (nobody holds it): the last moment to read its document.
   *  Awaited before the room's final flush; failures are the observer's to handle. */
  unloading(room: Room): Promise<void>;
}

/** One observer that tells each of `observers` everything, in order. */
export function observeAll(observers: readonly RoomObserver[]): RoomObserver {
  return {
    loaded: (room) => observers.forEach((observer) => observer.loaded(room)),
    changed: (room, origin, transaction) => observers.forEach((observer) => observer.changed(room, origin, transaction)),
    compacted: (room) => observers.forEach((observer) => observer.compacted(room)),
    unloading: async (room) => {
      await Promise.all(observers.map((observer) => observer.unloading(room)));
    },
  };
}
