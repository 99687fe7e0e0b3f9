// Comment threads in the database (models CommentThread and Comment) and their JSON form.
// Every change bumps the thread's version in the same transaction, and hands back the thread
// as it is after the change: what the change's event carries to everyone.
import type { PrismaClient } from "../db/Database.ts";
import { newDocumentId } from "../../lib/documentId.ts";
import type { CommentJson, MentionJson, ThreadJson } from "../../lib/comments/commentModel.ts";

export interface StoredComment {
  id: string;
  authorId: string;
  authorName: string;
  body: string;
  mentions: string[];
  createdAt: Date;
  editedAt: Date | null;
}

export interface StoredThread {
  id: string;
  documentId: string;
  anchorStart: Uint8Array;
  anchorEnd: Uint8Array;
  quote: string;
  resolvedAt: Date | null;
  resolvedById: string | null;
  resolvedByName: string | null;
  deletedAt: Date | null;
  version: number;
  createdAt: Date;
  comments: StoredComment[];
}

export interface Author {
  id: string;
  name: string;
}

const WITH_COMMENTS = { comments: { orderBy: [{ createdAt: "asc" as const }, { id: "asc" as const }] } };

export class CommentStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** The thread with its comments, whichever document it is on; null when there is none. */
  async thread(threadId: string): Promise<StoredThread | null> {
    return this.prisma.commentThread.findUnique({ where: { id: threadId }, include: WITH_COMMENTS });
  }

  /** The document's threads that were not deleted, oldest first. */
  async threads(documentId: string): Promise<StoredThread[]> {
    return this.prisma.commentThread.findMany({ where: { documentId, deletedAt: null }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], include: WITH_COMMENTS });
  }

  async create(documentId: string, anchor: { start: Uint8Array; end: Uint8Array }, quote: string, author: Author, body: string, mentions: string[]): Promise<StoredThread> {
    const now = new Date();
    return this.prisma.commentThread.create({
      data: {
        id: newDocumentId(),
        documentId,
        anchorStart: new Uint8Array(anchor.start),
        anchorEnd: new Uint8Array(anchor.end),
        quote,
        createdAt: now,
        comments: { create: { id: newDocumentId(), authorId: author.id, authorName: author.name, body, mentions, createdAt: now } },
      },
      include: WITH_COMMENTS,
    });
  }

  async reply(threadId: string, author: Author, body: string, mentions: string[]): Promise<{ thread: StoredThread; commentId: string }> {
    const commentId = newDocumentId();
    const [, thread] = await this.prisma.$transaction([
      this.prisma.comment.create({ data: { id: commentId, threadId, authorId: author.id, authorName: author.name, body, mentions, createdAt: new Date() } }),
      this.bump(threadId, {}),
    ]);
    return { thread, commentId };
  }

  async edit(threadId: string, commentId: string, body: string, mentions: string[]): Promise<StoredThread> {
    const [, thread] = await this.prisma.$transaction([
      this.prisma.comment.update({ where: { id: commentId }, data: { body, mentions, editedAt: new Date() } }),
      this.bump(threadId, {}),
    ]);
    return thread;
  }

  /** Deletes a reply; deleting the first comment deletes the whole thread (kept as a tombstone). */
  async delete(threadId: string, commentId: string, wholeThread: boolean): Promise<StoredThread> {
    if (wholeThread) return this.bump(threadId, { deletedAt: new Date() });
    const [, thread] = await this.prisma.$transaction([this.prisma.comment.delete({ where: { id: commentId } }), this.bump(threadId, {})]);
    return thread;
  }

  async setResolved(threadId: string, by: Author | null): Promise<StoredThread> {
    return this.bump(threadId, by ? { resolvedAt: new Date(), resolvedById: by.id, resolvedByName: by.name } : { resolvedAt: null, resolvedById: null, resolvedByName: null });
  }

  private bump(threadId: string, data: { deletedAt?: Date; resolvedAt?: Date | null; resolvedById?: string | null; resolvedByName?: string | null }) {
    return this.prisma.commentThread.update({ where: { id: threadId }, data: { ...data, version: { increment: 1 } }, include: WITH_COMMENTS });
  }

  /** Account ids among `ids` that exist, with their names. */
  async accounts(ids: readonly string[]): Promise<MentionJson[]> {
    if (ids.length === 0) return [];
    const rows = await this.prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
    return rows.map((row) => ({ userId: row.id, name: row.name }));
  }

  /** The JSON of threads, with the names of the accounts their comments mention. */
  async toJson(threads: StoredThread[]): Promise<ThreadJson[]> {
    const mentioned = new Set(threads.flatMap((thread) => thread.comments.flatMap((comment) => comment.mentions)));
    const names = new Map((await this.accounts([...mentioned])).map((m) => [m.userId, m.name]));
    return threads.map((thread) => threadJson(thread, names));
  }
}

function threadJson(thread: StoredThread, names: Map<string, string>): ThreadJson {
  return {
    id: thread.id,
    documentId: thread.documentId,
    anchor: { start: Buffer.from(thread.anchorStart).toString("base64"), end: Buffer.from(thread.anchorEnd).toString("base64") },
    quote: thread.quote,
    resolved: thread.resolvedAt ? { at: thread.resolvedAt.toISOString(), byId: thread.resolvedById ?? "", byName: thread.resolvedByName ?? "" } : null,
    deleted: thread.deletedAt !== null,
    version: thread.version,
    createdAt: thread.createdAt.toISOString(),
    comments: thread.deletedAt ? [] : thread.comments.map((comment) => commentJson(comment, names)),
  };
}

function commentJson(comment: StoredComment, names: Map<string, string>): CommentJson {
  return {
    id: comment.id,
    authorId: comment.authorId,
    authorName: comment.authorName,
    body: comment.body,
    mentions: comment.mentions.flatMap((userId) => (names.has(userId) ? [{ userId, name: names.get(userId)! }] : [])),
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt?.toISOString() ?? null,
  };
}
