// PATCH /api/documents/<id>/comments/<threadId>/<commentId> {body, mentions?}: edit a comment.
// DELETE .../<commentId>: delete it (the first comment: the whole thread). Authors only.
import { anyObject, readBody } from "@/server/http/requestBody";
import { anyRole, withDocument } from "@/server/documents/withDocument";
import { performHttp } from "@/server/comments/commentHttp";

type CommentParams = { threadId: string; commentId: string };

export const PATCH = withDocument<CommentParams>(
  anyRole,
  { mutation: true, withShareToken: true, operation: "comment edit" },
  async ({ request, id, params: { threadId, commentId }, access }) => {
    // The fields are checked by the comment service's own parser, shared with the socket.
    const read = await readBody(request, anyObject("The body must be a JSON object."));
    if (!read.ok) return read.response;
    return performHttp(id, access, { ...read.body, op: "edit", threadId, commentId });
  },
);

export const DELETE = withDocument<CommentParams>(
  anyRole,
  { mutation: true, withShareToken: true, operation: "comment deletion" },
  async ({ id, params: { threadId, commentId }, access }) => performHttp(id, access, { op: "delete", threadId, commentId }),
);
