// GET /api/documents/<id>: one document and the caller's role on it (any role).
// PATCH /api/documents/<id> {title}: rename (editors and owners), applied to the live title in
// the document's Y.Doc (connected editors see it at once) and to the row.
// DELETE /api/documents/<id>: move to Trash (owners; admins); its open sockets close with 4410
// on every instance and its links stop working. DELETE /api/documents/<id>?forever=1: delete a
// document that is in Trash for good (409 when it is not in Trash).
// A document in Trash answers 410 to everything else (server/documents/documentHttp.ts).
// Callers are the signed-in account and/or a share link (x-share-token header or ?token=).
import { canEdit, canShare } from "@/lib/access/roles";
import { deleteDocumentForever, trashDocument } from "@/server/documents/documentTrash";
import { getDocument } from "@/server/documents/documentRepository";
import { documentJson, errorResponse, jsonResponse, renameLiveDocument } from "@/server/documents/documentHttp";
import { anyObject, readBody } from "@/server/http/requestBody";
import { anyRole, withDocument } from "@/server/documents/withDocument";

export const GET = withDocument(anyRole, { withShareToken: true, operation: "document read" }, async ({ id, access }) => {
  const result = await getDocument(id);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse({ ...documentJson(result.value), role: access.role });
});

export const PATCH = withDocument(canEdit, { mutation: true, withShareToken: true, operation: "rename" }, async ({ request, id, access }) => {
  // The title's own rules (and their error code, invalid_title) are the repository's.
  const read = await readBody(request, anyObject("Body must be a JSON object."));
  if (!read.ok) return read.response;
  if (!("title" in read.body)) return errorResponse("invalid_title", "Missing title.");
  return renameLiveDocument(id, read.body.title, access.user?.id ?? null);
});

export const DELETE = withDocument(canShare, { mutation: true, allowTrashed: true, operation: "deletion" }, async ({ request, id, context }) => {
  const forever = new URL(request.url).searchParams.get("forever");
  if (forever !== null && forever !== "1") return errorResponse("bad_request", "forever must be 1 when given.");
  if (forever === "1") {
    const result = await deleteDocumentForever(id);
    if (!result.ok) return errorResponse(result.code, result.message);
    return jsonResponse({ id, deleted: true });
  }
  const result = await trashDocument(id);
  if (!result.ok) return errorResponse(result.code, result.message);
  // Open sockets are re-checked on every instance and closed with 4410 (AccessWatch).
  context.changes.publish(id);
  return jsonResponse({ id, trashedAt: result.value.trashedAt.toISOString() });
});
