// The process's loaded documents (the collab server's Rooms), for code outside the collab
// server that must read or change a live document: the content API's route handlers. Kept on
// globalThis like the access context: Next bundles route handlers separately from the custom
// server, so a module-level variable would be a different one there.
import type { Rooms } from "./Rooms.ts";

const globalForRooms = globalThis as typeof globalThis & { __collabRooms?: Rooms };

/** Registers the collab server's rooms (startServer does, once the collab server exists). */
export function setLiveRooms(rooms: Rooms): void {
  globalForRooms.__collabRooms = rooms;
}

/** Forgets `rooms` if they are the registered ones (a closing server). */
export function clearLiveRooms(rooms: Rooms): void {
  if (globalForRooms.__collabRooms === rooms) globalForRooms.__collabRooms = undefined;
}

/** The registered rooms; throws when no collab server runs in this process (a bug, not input). */
export function getLiveRooms(): Rooms {
  const rooms = globalForRooms.__collabRooms;
  if (!rooms) throw new Error("collab server not initialised: start the app with server/main.ts");
  return rooms;
}
