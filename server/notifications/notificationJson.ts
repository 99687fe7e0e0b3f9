// A stored notification row in its wire form (lib/notifications/notification.ts).
import { NOTIFICATION_KINDS, notificationHref, type NotificationJson, type NotificationKind } from "../../lib/notifications/notification.ts";

interface NotificationRow {
  id: string;
  recipientId: string;
  kind: string;
  documentId: string;
  threadId: string | null;
  commentId: string | null;
  actorId: string | null;
  actorName: string;
  excerpt: string;
  createdAt: Date;
  readAt: Date | null;
  document?: { title: string } | null;
}

export function notificationJson(row: NotificationRow): NotificationJson {
  return {
    id: row.id,
    recipientId: row.recipientId,
    kind: (NOTIFICATION_KINDS as readonly string[]).includes(row.kind) ? (row.kind as NotificationKind) : "mention",
    documentId: row.documentId,
    documentTitle: row.document?.title ?? null,
    threadId: row.threadId,
    commentId: row.commentId,
    actorId: row.actorId,
    actorName: row.actorName,
    excerpt: row.excerpt,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    href: notificationHref(row.documentId, row.threadId),
  };
}
