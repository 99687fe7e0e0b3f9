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
  /** Per document: sockets that joined while its threads were being read, for the next read. */
  private readonly waiting = new Map<string, Connection[]>();
  /** Documents whose threads are being read now. */
  private readonly reading = new Set<string>();

  constructor(
    private readonly comments: Comments,
    private readonly log: Logger,
  ) {}

  /**
   * Sends the threads to a joining socket. Joins share reads: a sync storm of N joins reads the
   * threads about twice, not N times, and encodes each answer once. A socket never shares a
   * read that began before it joined: a thread created meanwhile would be in neither that read
   * nor the events the socket hears (it was not there yet), so it waits for the next read.
   */
  joined(room: Room, connection: Connection): void {
    const id = room.documentId;
    const waiting = this.waiting.get(id);
    if (waiting) waiting.push(connection);
    else this.waiting.set(id, [connection]);
    if (!this.reading.has(id)) this.readFor(id);
  }

  private readFor(documentId: string): void {
    const joiners = this.waiting.get(documentId) ?? [];
    this.waiting.delete(documentId);
    this.reading.add(documentId);
    this.comments
      .list(documentId)
      .then(
        (threads) => {
          const frame = encodeCommentFrame({ requestId: 0, json: JSON.stringify({ threads, complete: true }) });
          for (const connection of joiners) if (connection.open) connection.send(frame);
        },
        (error: unknown) => this.log.warn("could not read a document's comments for a joiner", { documentId, joiners: joiners.length, error: String(error) }),
      )
      .finally(() => {
        this.reading.delete(documentId);
        if (this.waiting.has(documentId)) this.readFor(documentId);
      });
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
