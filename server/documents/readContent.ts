// Reads a document's current content in an output format (the content API's GET).
import type { Rooms } from "../collab/Rooms.ts";
import type { DocumentFormat } from "../../lib/editor/documentFormats.ts";
import type { Conversions } from "./conversion/liveConversions.ts";
import type { ExportResult } from "./conversion/conversionTasks.ts";
import { ownBuffer, replacementsSettled } from "./replaceContent.ts";


/**
 * The content of `documentId` as the editors see it now, in `format`. From the room when the
 * document is loaded here (including edits not yet written; a room not yet built hands over its
 * stored bytes, nothing is built), otherwise straight from storage: setting up a room only to
 * read would cost the main thread a pass over the whole state (about 0.1 s per MB) for nothing.
 * Building the document and rendering it happen in a conversion worker. A replacement under
 * way (a PUT being applied) is waited for, so a read never sees half of one. Throws
 * ConversionError (busy, failed) and storage errors.
 */
export async function readContent(rooms: Rooms, conversions: Conversions, documentId: string, format: DocumentFormat): Promise<string> {
  await replacementsSettled(documentId);
  const state = rooms.peek(documentId)?.encodeState() ?? (await rooms.storage.load(documentId)) ?? emptyState();
  const result = (await conversions.run({ kind: "export", format, state }, ownBuffer(state))) as ExportResult;
  return result.text;
}

/** The encoded state of a document with nothing in it (never written): a new array each time,
 *  since its buffer moves to the worker. */
function emptyState(): Uint8Array {
  return new Uint8Array([0, 0]);
}
