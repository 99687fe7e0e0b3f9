// Replaces a live document's content with a Markdown or HTML body (the content API's PUT and
// POST) as a minimal CRDT diff, applied through the collab server like a client's update.
import type { Room } from "../collab/Room.ts";
import type { Rooms } from "../collab/Rooms.ts";
import { CloseError } from "../collab/CloseError.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import type { InputFormat } from "../../lib/editor/documentFormats.ts";
import type { Conversions } from "./conversion/liveConversions.ts";
import type { ImportResult } from "./conversion/conversionTasks.ts";
import type { ServerEdit } from "../collab/ServerEdit.ts";

/** Pieces applied ahead of the database: at most this many wait to be written (and merged). */
const MAX_QUEUED_PIECES = 4;

export interface ReplacedContent {
  /** Size of the Yjs updates the change took (0: the content was already that). */
  updateBytes: number;
}

/**
 * Makes the `format` text in `body` the content of `documentId`. A conversion worker parses it
 * and diffs it against the document's current state with y-prosemirror's updateYFragment (the
 * editor binding's own diff), which touches only what differs: unchanged paragraphs keep their
 * Yjs items, so carets (relative positions) in them stay put. The resulting updates are then
 * applied here, on the main thread, through Room.applyServerUpdate (relayed, fanned out,
 * queued), a piece at a time (applyInPieces), and are durable when this resolves.
 *
 * The diff is against the state when the conversion started: edits that arrive while the
 * worker works merge with it like any concurrent editor's. Replacements of one document run
 * one after another, so a second PUT diffs against the result of the first (two at once would
 * both insert their new paragraphs). `body`'s buffer is handed to the worker.
 *
 * A document nobody has open is loaded (and later unloaded) through Rooms like any joiner's,
 * so storage is never written behind the collab server's back. Throws ConversionError
 * (unreadable input, busy, failed), CloseError TOO_LARGE past the document size limit (nothing
 * applied), and storage errors from the load.
 */
export function replaceContent(
  rooms: Rooms,
  conversions: Conversions,
  documentId: string,
  format: InputFormat,
  body: Uint8Array,
  editedBy: ServerEdit,
): Promise<ReplacedContent> {
  return oneAtATime(documentId, async () => {
    const room = await rooms.acquire(documentId);
    try {
      const state = room.encodeState();
      const converted = (await conversions.run({ kind: "import", format, body, state }, [...ownBuffer(body), ...ownBuffer(state)])) as ImportResult;
      await applyInPieces(room, converted, editedBy);
      return { updateBytes: converted.updateBytes };
    } finally {
      rooms.release(room);
    }
  });
}

/** Resolves once no replacement of `documentId` is under way (a read then sees all of one). */
export async function replacementsSettled(documentId: string): Promise<void> {
  await inFlight().get(documentId)?.catch(() => undefined);
}

/**
 * Applies converted content to a held room, one update per turn of the event loop: Yjs
 * decodes and integrates an update in one go, which for a whole 1 MB document would block every
 * socket for most of a second; pieces of UPDATE_CHUNK_BYTES take a few milliseconds each. The
 * size limit is checked for the whole first, so a change past it applies nothing. Resolves
 * once everything is written. `editedBy` is the transaction origin (who made the change).
 */
export async function applyInPieces(room: Room, converted: ImportResult, editedBy: ServerEdit): Promise<void> {
  if (converted.updates.length === 0) return;
  if (room.exceedsSizeLimitWith(converted.updateBytes)) throw new CloseError(CloseCode.TOO_LARGE, "document size limit reached");
  for (const [index, update] of converted.updates.entries()) {
    if (index > 0) await new Promise((resolve) => setImmediate(resolve));
    // The writer merges what queued up while it wrote (Y.mergeUpdates, on this thread): let it
    // catch up, or a whole document's pieces would be merged in one go after all.
    if (room.writer.pendingUpdates >= MAX_QUEUED_PIECES) await room.writer.flush();
    room.applyServerUpdate(update, editedBy);
  }
  await room.writer.flush();
}

/** The buffer behind `bytes` when it holds nothing else (so it can be moved to a worker
 *  instead of copied); none for a view into a larger buffer, such as Node's Buffer pool. */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer[] {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

/** Replacements under way, per document. On globalThis: the GET and PUT handlers may be
 *  bundled apart by Next, and must see the same ones. */
function inFlight(): Map<string, Promise<unknown>> {
  const global = globalThis as typeof globalThis & { __contentReplacements?: Map<string, Promise<unknown>> };
  return (global.__contentReplacements ??= new Map());
}

/** Runs `work` after every earlier replacement of `documentId` has finished (a PUT, or a
 *  version's restore: server/history/versionHistory.ts). */
export async function oneAtATime<T>(documentId: string, work: () => Promise<T>): Promise<T> {
  const replacements = inFlight();
  const previous = replacements.get(documentId);
  const current = (async () => {
    await previous?.catch(() => undefined);
    return work();
  })();
  replacements.set(documentId, current);
  try {
    return await current;
  } finally {
    if (replacements.get(documentId) === current) replacements.delete(documentId);
  }
}
