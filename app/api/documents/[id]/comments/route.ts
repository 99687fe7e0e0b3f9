// GET /api/documents/<id>/comments: the document's threads (any role), `{threads: [...]}`.
// POST /api/documents/<id>/comments {body, text | anchor, quote?, mentions?}: a new thread
// (commenters, editors, owners), anchored to the first occurrence of `text` or to `anchor`
// ({start, end}: base64 Yjs relative positions). 201 {thread}. Same callers as the content API:
// the session cookie and/or a share link (x-share-token header or ?token=). See README "Comments".
import { jsonResponse, readJsonBody } from "@/server/documents/documentHttp";
import { anyRole, withDocument } from "@/server/documents/withDocument";
import { commentErrorResponse, performHttp } from "@/server/comments/commentHttp";
import { getLiveComments } from "@/server/comments/liveComments";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withDocument(anyRole, { withShareToken: true, operation: "comment list" }, async ({ id }) =>
  jsonResponse({ threads: await getLiveComments().list(id) }),
);

export const POST = withDocument(anyRole, { mutation: true, withShareToken: true, operation: "comment creation" }, async ({ request, id, access }) => {
  const body = await readJsonBody(request);
  if (body === null) return commentErrorResponse("bad_request", "The body must be a JSON object.");
  return performHttp(id, access, { ...body, op: "create" }, true);
});
