// What code outside the collab server may watch of a loaded document (the documents row's
// projection: server/documents/DocumentProjection.ts), without the room knowing what it is for.
import type { Room } from "./Room.ts";

export interface RoomObserver {
  /** The room is loaded and registered (joiners may already be served). */
  loaded(room: Room): void;
  /**
   * Something changed the room's document: `origin` is the Connection that sent the update, or
   * the symbol of a server-side change (fan-out, content API, ...). Called for every update in
   * the hot path: it must only note the fact (no I/O, no encoding).
   */
  changed(room: Room, origin: unknown): void;
  /** The room's update log was compacted into a snapshot while it stays loaded. */
  compacted(room: Room): void;
  /** The room is about to unload (nobody holds it): the last moment to read its document.
   *  Awaited before the room's final flush; failures are the observer's to handle. */
  unloading(room: Room): Promise<void>;
}
