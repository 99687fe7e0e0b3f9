// Reads a document's current content as a ProseMirror document (the content API's GET).
import * as Y from "yjs";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import { documentSchema } from "../../lib/editor/documentFormats.ts";
import type { Rooms } from "../collab/Rooms.ts";

/**
 * The content of `documentId` as the editors see it now: from the loaded room when someone
 * has it open (including edits not yet written), otherwise loaded through Rooms like any
 * joiner and released at once (unloading an unchanged room writes nothing).
 */
export async function readContent(rooms: Rooms, documentId: string): Promise<ProseMirrorNode> {
  const room = await rooms.acquire(documentId);
  // Converted from a copy: y-tiptap deletes the Yjs items of nodes the schema refuses while it
  // converts, which on the live document would make a read an edit, sent to everyone.
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
  } finally {
    rooms.release(room);
  }
  try {
    return yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(EDITOR_FRAGMENT_NAME), documentSchema());
  } finally {
    copy.destroy();
  }
}
