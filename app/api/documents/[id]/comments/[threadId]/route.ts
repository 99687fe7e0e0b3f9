// GET /api/documents/<id>/comments/<threadId>: one thread.
// POST .../<threadId> {body, mentions?}: a reply (commenters and up). 201 {thread}.
// PATCH .../<threadId> {resolved: true|false}: resolve or reopen (editors and owners; a
// commenter, a thread they started). See README "Comments".
import { z } from "zod";
import { jsonResponse } from "@/server/documents/documentHttp";
import { anyObject, readBody } from "@/server/http/requestBody";
import { anyRole, withDocument } from "@/server/documents/withDocument";
import { commentErrorResponse, performHttp } from "@/server/comments/commentHttp";
import { getLiveComments } from "@/server/comments/liveComments";

type ThreadParams = { threadId: string };

const RESOLVED_MESSAGE = 'Send {"resolved": true} or {"resolved": false}.';
const ResolutionBody = z.object({ resolved: z.boolean({ error: RESOLVED_MESSAGE }) }, { error: RESOLVED_MESSAGE });

export const GET = withDocument<ThreadParams>(anyRole, { withShareToken: true, operation: "comment read" }, async ({ id, params: { threadId } }) => {
  const thread = (await getLiveComments().list(id)).find((t) => t.id === threadId);
  return thread ? jsonResponse({ thread }) : commentErrorResponse("not_found", "There is no such thread on this document.");
});

export const POST = withDocument<ThreadParams>(
  anyRole,
  { mutation: true, withShareToken: true, operation: "comment reply" },
  async ({ request, id, params: { threadId }, access }) => {
    // The fields are checked by the comment service's own parser, shared with the socket.
    const read = await readBody(request, anyObject("The body must be a JSON object."));
    if (!read.ok) return read.response;
    return performHttp(id, access, { ...read.body, op: "reply", threadId }, true);
  },
);

export const PATCH = withDocument<ThreadParams>(
  anyRole,
  { mutation: true, withShareToken: true, operation: "comment resolution" },
  async ({ request, id, params: { threadId }, access }) => {
    const read = await readBody(request, ResolutionBody);
    if (!read.ok) return read.response;
    return performHttp(id, access, { op: read.body.resolved ? "resolve" : "reopen", threadId });
  },
);
