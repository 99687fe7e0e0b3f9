// GET /api/documents/<id>/content?format=markdown|html|json: the current content (any role;
// markdown when no format is given).
// PUT /api/documents/<id>/content with Content-Type text/markdown or text/html: the document
// becomes that content, applied to the live document as a minimal CRDT diff (editors and
// owners), 200 {id, bytes, updateBytes}.
// Callers are the signed-in account and/or a share link (x-share-token header or ?token=),
// with the same roles as the collab socket.
import { canEdit } from "@/lib/access/roles";
import { guardDocumentRequest, errorResponse, jsonResponse, storeUnavailable, type DocumentRouteContext } from "@/server/documents/documentHttp";
import { contentApplyError, contentResponse, conversionErrorResponse, readContentBody, requestOutputFormat } from "@/server/documents/contentHttp";
import { getLiveConversions } from "@/server/documents/conversion/liveConversions";
import { getLiveRooms } from "@/server/collab/liveRooms";
import { readContent } from "@/server/documents/readContent";
import { replaceContent } from "@/server/documents/replaceContent";
import { ServerEdit } from "@/server/collab/ServerEdit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { withShareToken: true });
  if (!guard.ok) return guard.response;
  const format = requestOutputFormat(request);
  if (!format) return errorResponse("bad_request", "format must be markdown, html or json.");
  let content: string;
  try {
    content = await readContent(getLiveRooms(), getLiveConversions(), id, format);
  } catch (error) {
    // The converters busy (503) or stopped (500); otherwise the load failed (the database).
    return conversionErrorResponse(error) ?? storeUnavailable("content load", error);
  }
  return contentResponse(format, content);
}

export async function PUT(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, canEdit, { mutation: true, withShareToken: true });
  if (!guard.ok) return guard.response;
  const read = await readContentBody(request);
  if (!read.ok) return read.response;
  const bytes = read.body.length; // before the body's buffer moves to a conversion worker
  let replaced;
  try {
    replaced = await replaceContent(getLiveRooms(), getLiveConversions(), id, read.format, read.body, new ServerEdit("content-api", guard.access.user?.id ?? null));
  } catch (error) {
    // Unreadable input 400, converters busy 503 or stopped 500, past the document size limit
    // 413; otherwise the load or the write failed (the database).
    return conversionErrorResponse(error) ?? contentApplyError(error) ?? storeUnavailable("content update", error);
  }
  return jsonResponse({ id, bytes, updateBytes: replaced.updateBytes });
}
