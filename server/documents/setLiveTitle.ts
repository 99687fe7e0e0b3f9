// Renames a document in its live Y.Doc (PATCH /api/documents/<id>, and new documents given a
// title through the API), so everyone who has it open sees the new title at once and it merges
// with renames typed in the browser at the same time.
import { documentTitleText, setTitleText } from "../../lib/editor/documentTitleText.ts";
import type { ServerEdit } from "../collab/ServerEdit.ts";
import type { Rooms } from "../collab/Rooms.ts";


/**
 * Makes `title` the document's live title by the smallest splice of its title text, and
 * resolves once that is durable. Goes through Rooms like the content API (a document nobody has
 * open is loaded, then unloaded), so the change is relayed to connections, fanned out to other
 * instances and stored like any update. Applied as a transaction on the room's document rather
 * than through Room.applyServerUpdate: there is nothing to check in an update the server makes
 * itself from a validated title, and encoding a scratch copy of a large document to diff it
 * would cost far more than the rename. Throws storage errors from the load or the write.
 */
export async function setLiveTitle(rooms: Rooms, documentId: string, title: string, editedBy: ServerEdit): Promise<void> {
  const room = await rooms.acquire(documentId);
  try {
    room.doc.transact(() => setTitleText(documentTitleText(room.doc), title), editedBy);
    await room.writer.flush();
  } finally {
    rooms.release(room);
  }
}
