// What the collab server needs from comments (server/comments/), independent of how they are
// stored: the socket's COMMENT requests handed over, and each joining socket told the threads.
import type { Connection } from "./Connection.ts";
import type { Room } from "./Room.ts";

export interface CollabComments {
  /** A socket that negotiated our extensions joined `room`: send it the document's threads. */
  joined(room: Room, connection: Connection): void;
  /** One COMMENT request from `connection`; answered on that socket, never by closing it. */
  receive(room: Room, connection: Connection, requestId: number, json: string): void;
}
