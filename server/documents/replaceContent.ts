// Replaces a live document's content with a ProseMirror document (the content API's PUT and
// POST) as a minimal CRDT diff, applied through the collab server like a client's update.
import * as Y from "yjs";
import { updateYFragment } from "@tiptap/y-tiptap";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import type { Rooms } from "../collab/Rooms.ts";

/** Transaction origin of changes made through the content API (never a connection). */
export const CONTENT_API_ORIGIN = Symbol("content-api");

export interface ReplacedContent {
  /** Size of the Yjs update the change took (0: the content was already that). */
  updateBytes: number;
}

/**
 * Makes `document` the content of `documentId`. y-prosemirror's updateYFragment (the editor
 * binding's own diff) runs on a copy of the current state and touches only what differs, so
 * unchanged paragraphs keep their Yjs items: carets (relative positions) in them stay put and
 * edits made there concurrently still merge. The resulting update then goes through
 * Room.applyServerUpdate (relayed, fanned out, queued) and is durable when this resolves.
 *
 * A document nobody has open is loaded (and later unloaded) through Rooms like any joiner's,
 * so storage is never written behind the collab server's back. Throws what Room throws for an
 * update (CloseError TOO_LARGE past the document size limit) and storage errors from the load.
 */
export async function replaceContent(rooms: Rooms, documentId: string, document: ProseMirrorNode): Promise<ReplacedContent> {
  const room = await rooms.acquire(documentId);
  try {
    // From here to applyServerUpdate nothing awaits, so the diff is against the exact state
    // it is applied to: a client update cannot land in between and be overwritten.
    const scratch = new Y.Doc();
    try {
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room.doc));
      const before = Y.encodeStateVector(scratch);
      const fragment = scratch.getXmlFragment(EDITOR_FRAGMENT_NAME);
      // One transaction: one update, and observers see the change at once.
      scratch.transact(() => updateYFragment(scratch, fragment, document, { mapping: new Map(), isOMark: new Map() }), CONTENT_API_ORIGIN);
      const update = Y.encodeStateAsUpdate(scratch, before);
      const changed = Y.decodeUpdate(update);
      if (changed.structs.length === 0 && changed.ds.clients.size === 0) return { updateBytes: 0 };
      room.applyServerUpdate(update, CONTENT_API_ORIGIN);
      await room.writer.flush();
      return { updateBytes: update.length };
    } finally {
      scratch.destroy();
    }
  } finally {
    rooms.release(room);
  }
}
