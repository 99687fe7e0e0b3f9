// GET /api/notifications[?before=<ISO time>]: the signed-in account's newest notifications
// (mentions, replies, documents shared with it), newest first, {notifications, unread}; pass
// the last one's createdAt as `before` for older ones. POST /api/notifications {ids: [...]} or
// {all: true}: marks them read, {marked, unread}. Live delivery: GET /api/notifications/stream
// (server/notifications/notificationStream.ts).
import { z } from "zod";
import { isCrossOrigin } from "@/server/access/requestAccess";
import { getAccessContext } from "@/server/access/accessContext";
import { listNotifications, markNotificationsRead, MAX_MARK_IDS, unreadCount } from "@/server/notifications/notificationList";
import { accessDenied, crossOriginRefused, errorResponse, jsonResponse, requestUser, storeUnavailable } from "@/server/documents/documentHttp";
import { readBody } from "@/server/http/requestBody";

const MARK_MESSAGE = `Send {"all": true} or {"ids": [...]} with at most ${MAX_MARK_IDS} notification ids.`;
const MarkReadBody = z.union([z.object({ all: z.literal(true) }), z.object({ ids: z.array(z.string().max(64)).max(MAX_MARK_IDS) })], { error: MARK_MESSAGE });

export async function GET(request: Request): Promise<Response> {
  const signedIn = await requestUser(request);
  if (!signedIn.ok) return signedIn.response;
  if (!signedIn.user) return accessDenied(false);
  const beforeParam = new URL(request.url).searchParams.get("before");
  const before = beforeParam === null ? null : new Date(beforeParam);
  if (before !== null && Number.isNaN(before.getTime())) return errorResponse("bad_request", "before must be an ISO date and time.");
  try {
    return jsonResponse(await listNotifications(getAccessContext().prisma, signedIn.user.id, { before }));
  } catch (error) {
    return storeUnavailable("notification list", error);
  }
}

export async function POST(request: Request): Promise<Response> {
  if (isCrossOrigin(request)) return crossOriginRefused();
  const signedIn = await requestUser(request);
  if (!signedIn.ok) return signedIn.response;
  if (!signedIn.user) return accessDenied(false);
  const read = await readBody(request, MarkReadBody);
  if (!read.ok) return read.response;
  const { prisma } = getAccessContext();
  try {
    const marked = await markNotificationsRead(prisma, signedIn.user.id, "all" in read.body ? "all" : read.body.ids);
    return jsonResponse({ marked, unread: await unreadCount(prisma, signedIn.user.id) });
  } catch (error) {
    return storeUnavailable("marking notifications read", error);
  }
}
