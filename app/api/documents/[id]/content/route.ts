// GET /api/documents/<id>/content?format=markdown|html|json: the current content (any role;
// markdown when no format is given).
// PUT /api/documents/<id>/content with Content-Type text/markdown or text/html: the document
// becomes that content, applied to the live document as a minimal CRDT diff (editors and
// owners), 200 {id, bytes, updateBytes}.
// Callers are the signed-in account and/or a share link (x-share-token header or ?token=),
// with the same roles as the collab socket.
import { canEdit } from "@/lib/access/roles";
import { errorResponse, jsonResponse } from "@/server/documents/documentHttp";
import { anyRole, withDocument } from "@/server/documents/withDocument";
import { contentApplyError, contentResponse, conversionErrorResponse, readContentBody, requestOutputFormat } from "@/server/documents/contentHttp";
import { getLiveConversions } from "@/server/documents/conversion/liveConversions";
import { getLiveRooms } from "@/server/collab/liveRooms";
import { readContent } from "@/server/documents/readContent";
import { replaceContent } from "@/server/documents/replaceContent";
import { ServerEdit } from "@/server/collab/ServerEdit";

// The converters busy (503) or stopped (500); otherwise the load failed (the database).
export const GET = withDocument(anyRole, { withShareToken: true, operation: "content load", failure: conversionErrorResponse }, async ({ request, id }) => {
  const format = requestOutputFormat(request);
  if (!format) return errorResponse("bad_request", "format must be markdown, html or json.");
  return contentResponse(format, await readContent(getLiveRooms(), getLiveConversions(), id, format));
});

// Unreadable input 400, converters busy 503 or stopped 500, past the document size limit 413;
// otherwise the load or the write failed (the database).
export const PUT = withDocument(
  canEdit,
  { mutation: true, withShareToken: true, operation: "content update", failure: (error) => conversionErrorResponse(error) ?? contentApplyError(error) },
  async ({ request, id, access }) => {
    const read = await readContentBody(request);
    if (!read.ok) return read.response;
    const bytes = read.body.length; // before the body's buffer moves to a conversion worker
    const replaced = await replaceContent(getLiveRooms(), getLiveConversions(), id, read.format, read.body, new ServerEdit("content-api", access.user?.id ?? null));
    return jsonResponse({ id, bytes, updateBytes: replaced.updateBytes });
  },
);
