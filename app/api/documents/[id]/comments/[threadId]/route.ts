// GET /api/documents/<id>/comments/<threadId>: one thread.
// POST .../<threadId> {body, mentions?}: a reply (commenters and up). 201 {thread}.
// PATCH .../<threadId> {resolved: true|false}: resolve or reopen (editors and owners; a
// commenter, a thread they started). See README "Comments".
import { guardDocumentRequest, jsonResponse, readJsonBody, storeUnavailable, type DocumentRouteContext } from "@/server/documents/documentHttp";
import { commentErrorResponse, performHttp } from "@/server/comments/commentHttp";
import { getLiveComments } from "@/server/comments/liveComments";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = DocumentRouteContext<{ threadId: string }>;

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { id, threadId } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { withShareToken: true });
  if (!guard.ok) return guard.response;
  try {
    const thread = (await getLiveComments().list(id)).find((t) => t.id === threadId);
    return thread ? jsonResponse({ thread }) : commentErrorResponse("not_found", "There is no such thread on this document.");
  } catch (error) {
    return storeUnavailable("comment read", error);
  }
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const { id, threadId } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { mutation: true, withShareToken: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request);
  if (body === null) return commentErrorResponse("bad_request", "The body must be a JSON object.");
  return performHttp(id, guard.access, { ...body, op: "reply", threadId }, true);
}

export async function PATCH(request: Request, { params }: Context): Promise<Response> {
  const { id, threadId } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { mutation: true, withShareToken: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request);
  if (body === null || typeof body.resolved !== "boolean") return commentErrorResponse("bad_request", "Send {\"resolved\": true} or {\"resolved\": false}.");
  return performHttp(id, guard.access, { op: body.resolved ? "resolve" : "reopen", threadId });
}
