// GET /api/notifications/stream: the bell's live feed, as Server-Sent Events, served by the
// process directly (not Next, whose responses may be buffered or compressed). Events:
//   unread        {"unread": n}  at the start, and after a Redis reconnect (pushes may be lost)
//   notification  the NotificationJson of a new notification
// plus a comment line every HEARTBEAT_MS so proxies keep the connection open. EventSource
// reconnects by itself; the first event after a reconnect is the count again.
import type http from "node:http";
import type { AccessContext } from "../access/accessContext.ts";
import { currentUser } from "../access/requestAccess.ts";
import { unreadCount } from "./notificationList.ts";
import type { NotificationEvent } from "./NotificationHub.ts";
import type { Logger } from "../log.ts";

export const NOTIFICATION_STREAM_PATH = "/api/notifications/stream";
export const HEARTBEAT_MS = 25_000;
/** How long a browser waits before reconnecting a dropped stream (the SSE retry field). */
const RETRY_MS = 3_000;

export function serveNotificationStream(request: http.IncomingMessage, response: http.ServerResponse, access: AccessContext, log: Logger): void {
  if (request.method !== "GET") {
    response.writeHead(405, { allow: "GET", "content-type": "application/json" }).end(JSON.stringify({ error: { code: "bad_request", message: "GET only." } }));
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(", "));
  }
  void (async () => {
    const user = await currentUser(headers);
    if (!user) {
      response.writeHead(401, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify({ error: { code: "unauthenticated", message: "Sign in first." } }));
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no", connection: "keep-alive" });
    response.write(`retry: ${RETRY_MS}\n\n`);
    const send = (event: string, data: unknown) => {
      if (!response.writableEnded) response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const sendCount = () =>
      unreadCount(access.prisma, user.id).then(
        (unread) => send("unread", { unread }),
        (error: unknown) => log.warn("unread count failed", { error: String(error) }),
      );
    const stop = access.notifications.subscribe(user.id, (event: NotificationEvent) => {
      if (event.type === "notification") send("notification", event.notification);
      else void sendCount();
    });
    const heartbeat = setInterval(() => response.write(": heartbeat\n\n"), HEARTBEAT_MS);
    heartbeat.unref();
    const end = () => {
      clearInterval(heartbeat);
      stop();
    };
    request.on("close", end);
    response.on("close", end);
    await sendCount();
  })().catch((error: unknown) => {
    log.error("notification stream failed", { error: String(error) });
    if (!response.headersSent) response.writeHead(503, { "retry-after": "2" }).end();
    else response.end();
  });
}
