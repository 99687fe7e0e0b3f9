// Reading and marking a person's notifications (GET/POST /api/notifications).
import type { PrismaClient } from "../db/Database.ts";
import type { NotificationJson } from "../../lib/notifications/notification.ts";
import { notificationJson } from "./notificationJson.ts";

export const NOTIFICATION_PAGE_SIZE = 30;
/** Most ids one "mark read" request may name. */
export const MAX_MARK_IDS = 100;

/** The newest notifications of `userId` (newest first), older than `before` when given, with
 *  how many are unread in all. Notifications about documents in Trash are left out. */
export async function listNotifications(
  prisma: PrismaClient,
  userId: string,
  { before = null, limit = NOTIFICATION_PAGE_SIZE }: { before?: Date | null; limit?: number } = {},
): Promise<{ notifications: NotificationJson[]; unread: number }> {
  const visible = { recipientId: userId, document: { trashedAt: null } };
  const [rows, unread] = await Promise.all([
    prisma.notification.findMany({
      where: { ...visible, ...(before ? { createdAt: { lt: before } } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      include: { document: { select: { title: true } } },
    }),
    unreadCount(prisma, userId),
  ]);
  return { notifications: rows.map(notificationJson), unread };
}

export function unreadCount(prisma: PrismaClient, userId: string): Promise<number> {
  return prisma.notification.count({ where: { recipientId: userId, readAt: null, document: { trashedAt: null } } });
}

/** Marks some of `userId`'s notifications read (others' ids are ignored), or all of them. */
export async function markNotificationsRead(prisma: PrismaClient, userId: string, ids: readonly string[] | "all"): Promise<number> {
  const result = await prisma.notification.updateMany({
    where: { recipientId: userId, readAt: null, ...(ids === "all" ? {} : { id: { in: [...ids] } }) },
    data: { readAt: new Date() },
  });
  return result.count;
}
