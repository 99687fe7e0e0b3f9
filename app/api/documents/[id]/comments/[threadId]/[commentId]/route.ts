// PATCH /api/documents/<id>/comments/<threadId>/<commentId> {body, mentions?}: edit a comment.
// DELETE .../<commentId>: delete it (the first comment: the whole thread). Authors only.
import { readJsonBody } from "@/server/documents/documentHttp";
import { anyRole, withDocument } from "@/server/documents/withDocument";
import { commentErrorResponse, performHttp } from "@/server/comments/commentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type CommentParams = { threadId: string; commentId: string };

export const PATCH = withDocument<CommentParams>(
  anyRole,
  { mutation: true, withShareToken: true, operation: "comment edit" },
  async ({ request, id, params: { threadId, commentId }, access }) => {
    const body = await readJsonBody(request);
    if (body === null) return commentErrorResponse("bad_request", "The body must be a JSON object.");
    return performHttp(id, access, { ...body, op: "edit", threadId, commentId });
  },
);

export const DELETE = withDocument<CommentParams>(
  anyRole,
  { mutation: true, withShareToken: true, operation: "comment deletion" },
  async ({ id, params: { threadId, commentId }, access }) => performHttp(id, access, { op: "delete", threadId, commentId }),
);
