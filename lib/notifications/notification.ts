// The wire form of a notification (API answers and the live stream), and where it leads:
// shared by the server and the bell (app/components/NotificationBell.tsx).

export const NOTIFICATION_KINDS = ["mention", "reply", "share"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationJson {
  id: string;
  recipientId: string;
  kind: NotificationKind;
  documentId: string;
  /** The document's title when the list was read (null when unknown, e.g. in a live push). */
  documentTitle: string | null;
  threadId: string | null;
  commentId: string | null;
  actorId: string | null;
  actorName: string;
  excerpt: string;
  createdAt: string;
  readAt: string | null;
  /** The exact place it is about: the document, at its comment thread when there is one. */
  href: string;
}

/** /d/<id>, with #comment-<threadId> for a comment thread. */
export function notificationHref(documentId: string, threadId: string | null): string {
  return `/d/${encodeURIComponent(documentId)}${threadId ? `#comment-${encodeURIComponent(threadId)}` : ""}`;
}
