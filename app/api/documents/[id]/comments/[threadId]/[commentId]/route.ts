// PATCH /api/documents/<id>/comments/<threadId>/<commentId> {body, mentions?}: edit a comment.
// DELETE .../<commentId>: delete it (the first comment: the whole thread). Authors only.
import { guardDocumentRequest, readJsonBody, type DocumentRouteContext } from "@/server/documents/documentHttp";
import { commentErrorResponse, performHttp } from "@/server/comments/commentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = DocumentRouteContext<{ threadId: string; commentId: string }>;

export async function PATCH(request: Request, { params }: Context): Promise<Response> {
  const { id, threadId, commentId } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { mutation: true, withShareToken: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request);
  if (body === null) return commentErrorResponse("bad_request", "The body must be a JSON object.");
  return performHttp(id, guard.access, { ...body, op: "edit", threadId, commentId });
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const { id, threadId, commentId } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { mutation: true, withShareToken: true });
  if (!guard.ok) return guard.response;
  return performHttp(id, guard.access, { op: "delete", threadId, commentId });
}
