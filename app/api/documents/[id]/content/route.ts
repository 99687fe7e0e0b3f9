// GET /api/documents/<id>/content?format=markdown|html|json: the current content (any role;
// markdown when no format is given).
// PUT /api/documents/<id>/content with Content-Type text/markdown or text/html: the document
// becomes that content, applied to the live document as a minimal CRDT diff (editors and
// owners), 200 {id, bytes, updateBytes}.
// Callers are the signed-in account and/or a share link (x-share-token header or ?token=),
// with the same roles as the collab socket.
import { canEdit } from "@/lib/access/roles";
import { formatDocument } from "@/lib/editor/documentFormats";
import { guardDocumentRequest, errorResponse, jsonResponse, storeUnavailable, type DocumentRouteContext } from "@/server/documents/documentHttp";
import { contentApplyError, contentResponse, readDocumentBody, requestOutputFormat } from "@/server/documents/contentHttp";
import { getLiveRooms } from "@/server/collab/liveRooms";
import { readContent } from "@/server/documents/readContent";
import { replaceContent } from "@/server/documents/replaceContent";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { withShareToken: true });
  if (!guard.ok) return guard.response;
  const format = requestOutputFormat(request);
  if (!format) return errorResponse("bad_request", "format must be markdown, html or json.");
  let document;
  try {
    document = await readContent(getLiveRooms(), id);
  } catch (error) {
    return storeUnavailable("content load", error);
  }
  return contentResponse(format, formatDocument(format, document));
}

export async function PUT(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, canEdit, { mutation: true, withShareToken: true });
  if (!guard.ok) return guard.response;
  const parsed = await readDocumentBody(request);
  if (!parsed.ok) return parsed.response;
  let replaced;
  try {
    replaced = await replaceContent(getLiveRooms(), id, parsed.document);
  } catch (error) {
    // Past the document size limit 413; otherwise the load or the write failed (the database).
    return contentApplyError(error) ?? storeUnavailable("content update", error);
  }
  return jsonResponse({ id, bytes: parsed.bytes, updateBytes: replaced.updateBytes });
}
