// POST /api/documents with a Markdown or HTML body: a new document holding that content.
import { titleFromHeading } from "../../lib/documents/documentTitle.ts";
import type { SignedInUser } from "../access/requestAccess.ts";
import { getLiveRooms } from "../collab/liveRooms.ts";
import type { Rooms } from "../collab/Rooms.ts";
import { checkDocumentTitle, createDocument } from "./documentRepository.ts";
import { creationLimiters } from "./creationLimits.ts";
import { documentJson, errorResponse, jsonResponse, rateLimited, storeUnavailable } from "./documentHttp.ts";
import { contentApplyError, conversionErrorResponse, readContentBody } from "./contentHttp.ts";
import { applyInPieces, ownBuffer } from "./replaceContent.ts";
import { ServerEdit } from "../collab/ServerEdit.ts";
import { getLiveConversions } from "./conversion/liveConversions.ts";
import type { ImportResult } from "./conversion/conversionTasks.ts";
import { getDatabase } from "../db/getDatabase.ts";
import { DocumentProjectionStore } from "./DocumentProjectionStore.ts";

/** Answer when the converted content alone passes the document size limit. */
function documentTooLarge(): Response {
  return Response.json(
    { error: { code: "document_too_large", message: "The document would exceed its size limit." } },
    { status: 413, headers: { "cache-control": "no-store" } },
  );
}

/**
 * Creates a document owned by `user` from the request's Markdown or HTML body: 201 {id, title}.
 * The title is `?title=` when given, else the first heading's text (cut to the title limit),
 * else the default. The body is converted (in a conversion worker, into the Yjs updates of the
 * new content) before anything is created, so unreadable input (400), another type (415), a
 * bad title (400), content past the document size limit (413) or busy converters (503) leave
 * nothing behind and spend nothing from the account's creation budget.
 */
export async function createFromContent(request: Request, user: SignedInUser): Promise<Response> {
  let requestedTitle = new URL(request.url).searchParams.get("title");
  if (requestedTitle !== null) {
    const checked = checkDocumentTitle(requestedTitle);
    if (!checked.ok) return errorResponse("invalid_title", checked.message);
    requestedTitle = checked.title;
  }
  const read = await readContentBody(request);
  if (!read.ok) return read.response;
  let converted: ImportResult;
  try {
    converted = (await getLiveConversions().run({ kind: "import", format: read.format, body: read.body, state: null, title: requestedTitle ?? undefined }, ownBuffer(read.body))) as ImportResult;
  } catch (error) {
    const refused = conversionErrorResponse(error);
    if (refused) return refused;
    throw error;
  }
  const rooms = getLiveRooms();
  if (converted.updateBytes > rooms.limits.maxDocumentBytes) return documentTooLarge();
  // The same title the conversion put into the new Y.Doc's title text (ImportTask.title).
  const title = requestedTitle ?? titleFromHeading(converted.heading) ?? undefined;
  const admitted = creationLimiters().documents.take(user.id);
  if (!admitted.ok) return rateLimited("documents", admitted.retryAfterSeconds);
  const created = await createDocument(user.id, title);
  if (!created.ok) return errorResponse(created.code, created.message);
  const { id } = created.value;
  try {
    await storeNewContent(rooms, id, converted, new ServerEdit("content-api", user.id));
  } catch (error) {
    // The document exists (empty): a script can retry with a PUT to its id.
    const refused = contentApplyError(error);
    if (refused) return refused;
    return storeUnavailable(`content of new document ${id}`, error);
  }
  await projectNewDocument(id, converted, user.id);
  const { id: createdId, title: createdTitle } = documentJson(created.value);
  return jsonResponse({ id: createdId, title: createdTitle }, 201);
}

/**
 * Stores a new document's converted content as its first state: one row, written straight to
 * storage. Not through a room: nobody has the document open (its id is only now known to this
 * request), and a room would build the Y.Doc on the main thread and write the content as many
 * rows, which every later load would merge there again (0.3-2 s for 1 MB, blocking every
 * socket). Stored as one row, the document loads without merging, and rooms serve it from the
 * stored bytes without building it until someone edits.
 *
 * Should a room have loaded it meanwhile anyway (someone opened the new id within these
 * milliseconds), the content also goes through that room, so its editors see it: applying it
 * twice is harmless (Yjs ignores what a document already has).
 */
async function storeNewContent(rooms: Rooms, documentId: string, converted: ImportResult, editedBy: ServerEdit): Promise<void> {
  if (!converted.wholeState || converted.updates.length === 0) return;
  await rooms.storage.append(documentId, converted.wholeState);
  if (!rooms.peek(documentId)) return;
  const room = await rooms.acquire(documentId);
  try {
    await applyInPieces(room, converted, editedBy);
  } finally {
    rooms.release(room);
  }
}

/**
 * Writes the new document's row projection (title, content_text; the importer as last editor)
 * at once: stored without a room, it would otherwise wait for its first opening (or the next
 * start-up's backfill) to be found by search. A failure leaves it to those; the document exists.
 */
async function projectNewDocument(documentId: string, converted: ImportResult, importerId: string): Promise<void> {
  if (!converted.projection) return;
  try {
    const store = new DocumentProjectionStore((await getDatabase()).sql);
    await store.write(documentId, converted.projection, { lastEditorId: importerId, onlyIfUnprojected: true });
  } catch (error) {
    console.warn(`[documents] projection of new document ${documentId} failed; its first opening or the next start-up writes it`, error);
  }
}
