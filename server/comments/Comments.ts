// The comments service: every comment request, from a socket (SocketComments) or the HTTP API
// (app/api/documents/[id]/comments), goes through perform(), which checks the actor's role and
// the request against what is stored, changes the database, and sends the thread as it now is
// to every socket on the document, on every instance (Rooms.publishComment). A refused request
// changes nothing.
import type * as Y from "yjs";
import type { Role } from "../../lib/access/roles.ts";
import type { CommentError, CommentRequest, CommentResult, ThreadJson } from "../../lib/comments/commentModel.ts";
import { canChangeComment, canComment, canResolve } from "../../lib/comments/commentPermissions.ts";
import { encodeCommentFrame } from "../../lib/protocolExtensions.ts";
import type { Rooms } from "../collab/Rooms.ts";
import type { PrismaClient } from "../db/Database.ts";
import type { Logger } from "../log.ts";
import { anchorProblem } from "./anchors.ts";
import { CommentStore, type StoredThread } from "./CommentStore.ts";
import type { CommentNotifier } from "./commentNotifications.ts";

/** Who is asking: an account (accountId) or a link's guest, with their role on the document. */
export interface CommentActor {
  /** The account id, or the guest's id for this connection. */
  id: string;
  name: string;
  accountId: string | null;
  role: Role | null;
}

/** The document's content, for checking a new thread's anchor (built on demand). */
export type DocumentReader = () => Promise<Y.Doc> | Y.Doc;

const refuse = (code: CommentError["code"], message: string): CommentResult => ({ ok: false, error: { code, message } });

export class Comments {
  readonly store: CommentStore;
  private rooms: Rooms | null = null;

  constructor(
    prisma: PrismaClient,
    private readonly log: Logger,
    private readonly notifier: CommentNotifier,
  ) {
    this.store = new CommentStore(prisma);
  }

  /** The collab server's rooms, through which events reach sockets (set once it exists). */
  attach(rooms: Rooms): void {
    this.rooms = rooms;
  }

  async list(documentId: string): Promise<ThreadJson[]> {
    return this.store.toJson(await this.store.threads(documentId));
  }

  /** Does what `request` asks if `actor` may; never throws (a database failure is "unavailable"). */
  async perform(documentId: string, actor: CommentActor, request: CommentRequest, readDocument: DocumentReader): Promise<CommentResult> {
    try {
      return await this.performChecked(documentId, actor, request, readDocument);
    } catch (error) {
      this.log.error("comment request failed", { documentId, op: request.op, error: String(error) });
      return refuse("unavailable", "Comments could not be saved just now; try again shortly.");
    }
  }

  private async performChecked(documentId: string, actor: CommentActor, request: CommentRequest, readDocument: DocumentReader): Promise<CommentResult> {
    if (!canComment(actor.role)) return refuse("forbidden", "Your role on this document lets you read comments, not write them.");
    const author = { id: actor.id, name: actor.name };
    if (request.op === "create") {
      const problem = anchorProblem(await readDocument(), request.anchor);
      if (problem) return refuse("bad_request", problem);
      const mentions = await this.mentionIds(request.mentions);
      const anchor = { start: Buffer.from(request.anchor.start, "base64"), end: Buffer.from(request.anchor.end, "base64") };
      const thread = await this.store.create(documentId, anchor, request.quote, author, request.body, mentions);
      return this.changed(thread, actor, { kind: "comment", commentId: thread.comments[0].id, mentions, previous: null });
    }
    const thread = await this.store.thread(request.threadId);
    if (!thread || thread.documentId !== documentId) return refuse("not_found", "There is no such thread on this document.");
    if (thread.deletedAt) return refuse("gone", "This thread was deleted.");
    const startedIt = thread.comments[0]?.authorId === actor.id;
    switch (request.op) {
      case "reply": {
        const mentions = await this.mentionIds(request.mentions);
        const { thread: after, commentId } = await this.store.reply(thread.id, author, request.body, mentions);
        return this.changed(after, actor, { kind: "comment", commentId, mentions, previous: thread });
      }
      case "edit":
      case "delete": {
        const comment = thread.comments.find((c) => c.id === request.commentId);
        if (!comment) return refuse("not_found", "There is no such comment in this thread.");
        if (!canChangeComment(actor.role, comment.authorId === actor.id)) return refuse("forbidden", "Only its author can change or delete a comment.");
        if (request.op === "delete") return this.changed(await this.store.delete(thread.id, comment.id, comment === thread.comments[0]), actor, null);
        const mentions = await this.mentionIds(request.mentions);
        const after = await this.store.edit(thread.id, comment.id, request.body, mentions);
        // Only people newly mentioned by the edit are told.
        const added = mentions.filter((id) => !comment.mentions.includes(id));
        return this.changed(after, actor, { kind: "comment", commentId: comment.id, mentions: added, previous: null });
      }
      case "resolve":
      case "reopen":
        if (!canResolve(actor.role, startedIt)) return refuse("forbidden", "Editors and owners resolve threads (and whoever started one).");
        return this.changed(await this.store.setResolved(thread.id, request.op === "resolve" ? author : null), actor, null);
    }
  }

  /** Mentioned ids that are accounts (anything else is dropped). */
  private async mentionIds(ids: string[] | undefined): Promise<string[]> {
    return (await this.store.accounts(ids ?? [])).map((m) => m.userId);
  }

  /** Tells every socket on the document, then whoever must be notified; answers the request. */
  private async changed(
    thread: StoredThread,
    actor: CommentActor,
    notice: { kind: "comment"; commentId: string; mentions: string[]; previous: StoredThread | null } | null,
  ): Promise<CommentResult> {
    const [json] = await this.store.toJson([thread]);
    this.publish(json);
    if (notice) {
      // Those who took part in the thread before this reply (not the actor), for "reply" notices.
      const participants = notice.previous ? [...new Set(notice.previous.comments.map((c) => c.authorId))].filter((id) => id !== actor.id) : [];
      void this.notifier
        .commented({
          documentId: thread.documentId,
          threadId: thread.id,
          commentId: notice.commentId,
          actor,
          body: thread.comments.find((c) => c.id === notice.commentId)?.body ?? "",
          mentioned: notice.mentions.filter((id) => id !== actor.id),
          participants,
        })
        .catch((error: unknown) => this.log.warn("comment notification failed", { documentId: thread.documentId, error: String(error) }));
    }
    return { ok: true, thread: json, ...(notice ? { commentId: notice.commentId } : {}) };
  }

  private publish(thread: ThreadJson): void {
    this.rooms?.publishComment(thread.documentId, encodeCommentFrame({ requestId: 0, json: JSON.stringify({ threads: [thread] }) }));
  }
}
