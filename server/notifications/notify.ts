// Telling a person about something: the notification is stored (the bell's list), pushed to
// their open pages (NotificationHub, every instance) and, for mentions and replies when the
// server has SMTP_URL, mailed. Nobody is notified of their own action.
import type { PrismaClient } from "../db/Database.ts";
import { peekAccessContext } from "../access/accessContext.ts";
import { oneLine } from "../mail/mailBody.ts";
import { mentionMail } from "../mail/mentionMail.ts";
import { log } from "../log.ts";
import { newDocumentId } from "../../lib/documentId.ts";
import { notificationHref, type NotificationJson, type NotificationKind } from "../../lib/notifications/notification.ts";
import { notificationJson } from "./notificationJson.ts";

/** Longest excerpt stored: a notification quotes, it does not carry the comment. */
export const MAX_EXCERPT_CHARS = 200;
const MAX_NAME_CHARS = 100;

export interface NotificationInput {
  recipientId: string;
  kind: NotificationKind;
  documentId: string;
  /** The comment thread, for a mention in a comment or a reply (the link opens it). */
  threadId?: string | null;
  commentId?: string | null;
  /** The account that caused it; null for a guest (share link). */
  actorId: string | null;
  /** Shown as who did it (an account's name, a guest's label). */
  actorName: string;
  /** A short plain-text quote; cut to MAX_EXCERPT_CHARS. */
  excerpt?: string;
  /** Also mail it when the server can (mentions and replies; default true). A share's mail is
   *  sent by the share itself (sharedWithYouMail), so pass false there. */
  email?: boolean;
}

/** Stores one notification and delivers it; null when it was the recipient's own action. */
export async function notify(prisma: PrismaClient, input: NotificationInput): Promise<NotificationJson | null> {
  const [stored] = await notifyMany(prisma, [input]);
  return stored ?? null;
}

/** Stores several notifications in one statement (a comment mentioning five people) and
 *  delivers each; the recipient's own actions are skipped, and so are repeats of a recipient. */
export async function notifyMany(prisma: PrismaClient, inputs: readonly NotificationInput[]): Promise<NotificationJson[]> {
  const seen = new Set<string>();
  const createdAt = new Date();
  const rows = [];
  const mailed = [];
  for (const input of inputs) {
    const key = `${input.recipientId} ${input.kind} ${input.documentId} ${input.threadId ?? ""}`;
    if (input.recipientId === input.actorId || seen.has(key)) continue;
    seen.add(key);
    rows.push({
      id: newDocumentId(),
      recipientId: input.recipientId,
      kind: input.kind,
      documentId: input.documentId,
      threadId: input.threadId ?? null,
      commentId: input.commentId ?? null,
      actorId: input.actorId,
      actorName: clip(oneLine(input.actorName), MAX_NAME_CHARS) || "Someone",
      excerpt: clip(oneLine(input.excerpt ?? ""), MAX_EXCERPT_CHARS),
      createdAt,
      readAt: null,
    });
    if (input.kind !== "share" && input.email !== false) mailed.push(rows[rows.length - 1]);
  }
  if (rows.length === 0) return [];
  await prisma.notification.createMany({ data: rows });
  const stored = rows.map((row) => notificationJson(row));
  const context = peekAccessContext();
  for (const notification of stored) context?.notifications.push(notification);
  if (context?.mailer.enabled && mailed.length > 0) void mailAbout(prisma, mailed, context.publicUrl, context.mailer);
  return stored;
}

async function mailAbout(
  prisma: PrismaClient,
  rows: { recipientId: string; kind: string; documentId: string; threadId: string | null; actorName: string; excerpt: string }[],
  publicUrl: string,
  mailer: { send: (message: ReturnType<typeof mentionMail>) => Promise<unknown> },
): Promise<void> {
  try {
    const [users, documents] = await Promise.all([
      prisma.user.findMany({ where: { id: { in: rows.map((row) => row.recipientId) }, deactivatedAt: null }, select: { id: true, email: true } }),
      prisma.document.findMany({ where: { id: { in: [...new Set(rows.map((row) => row.documentId))] } }, select: { id: true, title: true } }),
    ]);
    const emails = new Map(users.map((user) => [user.id, user.email]));
    const titles = new Map(documents.map((document) => [document.id, document.title]));
    for (const row of rows) {
      const to = emails.get(row.recipientId);
      if (!to) continue;
      const url = `${publicUrl}${notificationHref(row.documentId, row.threadId)}`;
      await mailer.send(mentionMail({ to, kind: row.kind === "reply" ? "reply" : "mention", actorName: row.actorName, title: titles.get(row.documentId) ?? "", excerpt: row.excerpt, url }));
    }
  } catch (error) {
    log.error("notification mail failed", { error: String(error) });
  }
}

function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
