// GET /api/documents/<id>/comments: the document's threads (any role), `{threads: [...]}`.
// POST /api/documents/<id>/comments {body, text | anchor, quote?, mentions?}: a new thread
// (commenters, editors, owners), anchored to the first occurrence of `text` or to `anchor`
// ({start, end}: base64 Yjs relative positions). 201 {thread}. Same callers as the content API:
// the session cookie and/or a share link (x-share-token header or ?token=). See README "Comments".
import { guardDocumentRequest, jsonResponse, readJsonBody, storeUnavailable, type DocumentRouteContext } from "@/server/documents/documentHttp";
import { commentErrorResponse, performHttp } from "@/server/comments/commentHttp";
import { getLiveComments } from "@/server/comments/liveComments";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { withShareToken: true });
  if (!guard.ok) return guard.response;
  try {
    return jsonResponse({ threads: await getLiveComments().list(id) });
  } catch (error) {
    return storeUnavailable("comment list", error);
  }
}

export async function POST(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { mutation: true, withShareToken: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request);
  if (body === null) return commentErrorResponse("bad_request", "The body must be a JSON object.");
  return performHttp(id, guard.access, { ...body, op: "create" }, true);
}
