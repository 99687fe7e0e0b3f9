// GET /api/documents/<id>/comments: the document's threads (any role), `{threads: [...]}`.
// POST /api/documents/<id>/comments {body, text | anchor, quote?, mentions?}: a new thread
// (commenters, editors, owners), anchored to the first occurrence of `text` or to `anchor`
// ({start, end}: base64 Yjs relative positions). 201 {thread}. Same callers as the content API:
// the session cookie and/or a share link (x-share-token header or ?token=). See README "Comments".
import { jsonResponse } from "@/server/documents/documentHttp";
import { anyObject, readBody } from "@/server/http/requestBody";
import { anyRole, withDocument } from "@/server/documents/withDocument";
import { performHttp } from "@/server/comments/commentHttp";
import { getLiveComments } from "@/server/comments/liveComments";

export const GET = withDocument(anyRole, { withShareToken: true, operation: "comment list" }, async ({ id }) =>
  jsonResponse({ threads: await getLiveComments().list(id) }),
);

export const POST = withDocument(anyRole, { mutation: true, withShareToken: true, operation: "comment creation" }, async ({ request, id, access }) => {
  // The fields are checked by the comment service's own parser, shared with the socket.
  const read = await readBody(request, anyObject("The body must be a JSON object."));
  if (!read.ok) return read.response;
  return performHttp(id, access, { ...read.body, op: "create" }, true);
});
