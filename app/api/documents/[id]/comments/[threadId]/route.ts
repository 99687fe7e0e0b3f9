// GET /api/documents/<id>/comments/<threadId>: one thread.
// POST .../<threadId> {body, mentions?}: a reply (commenters and up). 201 {thread}.
// PATCH .../<threadId> {resolved: true|false}: resolve or reopen (editors and owners; a
// commenter, a thread they started). See README "Comments".
import { jsonResponse, readJsonBody } from "@/server/documents/documentHttp";
import { anyRole, withDocument } from "@/server/documents/withDocument";
import { commentErrorResponse, performHttp } from "@/server/comments/commentHttp";
import { getLiveComments } from "@/server/comments/liveComments";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type ThreadParams = { threadId: string };

export const GET = withDocument<ThreadParams>(anyRole, { withShareToken: true, operation: "comment read" }, async ({ id, params: { threadId } }) => {
  const thread = (await getLiveComments().list(id)).find((t) => t.id === threadId);
  return thread ? jsonResponse({ thread }) : commentErrorResponse("not_found", "There is no such thread on this document.");
});

export const POST = withDocument<ThreadParams>(
  anyRole,
  { mutation: true, withShareToken: true, operation: "comment reply" },
  async ({ request, id, params: { threadId }, access }) => {
    const body = await readJsonBody(request);
    if (body === null) return commentErrorResponse("bad_request", "The body must be a JSON object.");
    return performHttp(id, access, { ...body, op: "reply", threadId }, true);
  },
);

export const PATCH = withDocument<ThreadParams>(
  anyRole,
  { mutation: true, withShareToken: true, operation: "comment resolution" },
  async ({ request, id, params: { threadId }, access }) => {
    const body = await readJsonBody(request);
    if (body === null || typeof body.resolved !== "boolean") return commentErrorResponse("bad_request", "Send {\"resolved\": true} or {\"resolved\": false}.");
    return performHttp(id, access, { op: body.resolved ? "resolve" : "reopen", threadId });
  },
);
