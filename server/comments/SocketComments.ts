// Comments on the collab socket (COMMENT in lib/protocolExtensions.ts): a joining socket is
// sent the document's threads, and each request is answered on its own socket. The role is the
// socket's current one (AccessWatch changes it in place), the author the socket's identity.
import type { CollabComments } from "../collab/CollabComments.ts";
import type { Connection } from "../collab/Connection.ts";
import type { Room } from "../collab/Room.ts";
import type { Logger } from "../log.ts";
import { encodeCommentFrame } from "../../lib/protocolExtensions.ts";
import { parseCommentRequest, type CommentResult } from "../../lib/comments/commentModel.ts";
import type { CommentActor, Comments } from "./Comments.ts";

/** A request's JSON beyond this is refused unread (a 5,000-character body fits many times). */
export const MAX_COMMENT_REQUEST_CHARS = 64 * 1024;

export class SocketComments implements CollabComments {
  constructor(
    private readonly comments: Comments,
    private readonly log: Logger,
  ) {}

  joined(room: Room, connection: Connection): void {
    this.comments.list(room.documentId).then(
      (threads) => connection.send(encodeCommentFrame({ requestId: 0, json: JSON.stringify({ threads, complete: true }) })),
      (error: unknown) => this.log.warn("could not read a document's comments for a joiner", { documentId: room.documentId, error: String(error) }),
    );
  }

  receive(room: Room, connection: Connection, requestId: number, json: string): void {
    const answer = (result: CommentResult) => connection.send(encodeCommentFrame({ requestId, json: JSON.stringify(result) }));
    if (json.length > MAX_COMMENT_REQUEST_CHARS) {
      answer({ ok: false, error: { code: "too_large", message: `A comment request is at most ${MAX_COMMENT_REQUEST_CHARS} characters; a comment, 5,000.` } });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      answer({ ok: false, error: { code: "bad_request", message: "A comment request must be JSON." } });
      return;
    }
    const parsed = parseCommentRequest(value);
    if (!parsed.ok) {
      answer(parsed);
      return;
    }
    void this.comments.perform(room.documentId, socketActor(connection), parsed.request, () => room.doc).then(answer);
  }
}

function socketActor(connection: Connection): CommentActor {
  const { grant } = connection;
  return {
    id: grant.accountId ?? grant.identity?.id ?? `connection-${connection.id}`,
    name: grant.identity?.name ?? "Someone",
    accountId: grant.accountId ?? null,
    role: grant.role,
  };
}
