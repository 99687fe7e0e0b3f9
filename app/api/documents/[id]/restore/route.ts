// POST /api/documents/<id>/restore: take a document out of Trash (owners; admins); its links
// and roles work again. 409 when it is not in Trash.
import { canShare } from "@/lib/access/roles";
import { restoreDocument } from "@/server/documents/documentTrash";
import { errorResponse, jsonResponse } from "@/server/documents/documentHttp";
import { withDocument } from "@/server/documents/withDocument";

export const POST = withDocument(canShare, { mutation: true, allowTrashed: true, operation: "restore from Trash" }, async ({ id }) => {
  const result = await restoreDocument(id);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse({ id, restored: true });
});
