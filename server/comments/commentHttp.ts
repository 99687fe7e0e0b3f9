// The HTTP side of comments (app/api/documents/[id]/comments/...): who the caller is, their
// request carried out by the same service as the socket's, and its answer as JSON.
import type { CommentRequest, CommentResult, CommentErrorCode } from "../../lib/comments/commentModel.ts";
import { parseCommentRequest } from "../../lib/comments/commentModel.ts";
import type { DocumentAccess } from "../access/requestAccess.ts";
import { guestIdentity } from "../access/collabAccessPolicy.ts";
import { getLiveRooms } from "../collab/liveRooms.ts";
import { jsonResponse } from "../documents/documentHttp.ts";
import { anchorForText } from "./anchors.ts";
import type { CommentActor } from "./Comments.ts";
import { getLiveComments } from "./liveComments.ts";

const STATUS: Record<CommentErrorCode, number> = { bad_request: 400, forbidden: 403, not_found: 404, gone: 410, too_large: 413, unavailable: 503 };

export function commentErrorResponse(code: CommentErrorCode, message: string): Response {
  return jsonResponse({ error: { code, message } }, STATUS[code]);
}

/** The caller as a comment author: their account, or a link's guest under `guestName`. */
export function httpActor(access: DocumentAccess, guestName: unknown): CommentActor {
  if (access.user) return { id: access.user.id, name: access.user.name, accountId: access.user.id, role: access.role };
  const guest = guestIdentity(typeof guestName === "string" ? guestName : null);
  return { id: guest.id, name: guest.name, accountId: null, role: access.role };
}

/**
 * Parses `raw` (a request body plus the fields the URL gives: op, threadId, commentId) and
 * carries it out. A new thread may give `text` instead of an anchor: it is anchored to the first
 * occurrence of that text in the document. Answers 200/201 with the thread, or the refusal.
 */
export async function performHttp(documentId: string, access: DocumentAccess, raw: Record<string, unknown>, created = false): Promise<Response> {
  const rooms = getLiveRooms();
  const needsDocument = raw.op === "create";
  const room = needsDocument ? await rooms.acquire(documentId) : null;
  try {
    if (room && raw.anchor === undefined && typeof raw.text === "string") {
      const anchor = anchorForText(room.doc, raw.text);
      if (!anchor) return commentErrorResponse("bad_request", "That text is not in the document (it must lie within one paragraph).");
      raw = { ...raw, anchor, quote: typeof raw.quote === "string" ? raw.quote : raw.text };
    }
    const parsed = parseCommentRequest(raw);
    if (!parsed.ok) return commentErrorResponse(parsed.error.code, parsed.error.message);
    const result: CommentResult = await getLiveComments().perform(documentId, httpActor(access, raw.guestName), parsed.request as CommentRequest, () => {
      if (!room) throw new Error("no document for an anchor");
      return room.doc;
    });
    if (!result.ok) return commentErrorResponse(result.error.code, result.error.message);
    return jsonResponse({ thread: result.thread }, created ? 201 : 200);
  } finally {
    if (room) rooms.release(room);
  }
}
