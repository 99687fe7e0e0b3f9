// Live delivery of notifications to a person's open pages (the bell's event stream,
// server/notifications/notificationStream.ts), on this instance and, through Redis, on every
// other one: a notification stored by instance A reaches a page connected to instance B.
// Pub/sub keeps nothing, so after a Redis reconnect every open stream is told to re-read its
// unread count (a "resync" event) rather than trusting it missed nothing.
import { randomBytes } from "node:crypto";
import type { RedisLink } from "../redis/RedisLink.ts";
import type { Logger } from "../log.ts";
import type { NotificationJson } from "../../lib/notifications/notification.ts";

const CHANNEL = "collab:notifications";

/** What an open page is told: a new notification, or "re-read everything". */
export type NotificationEvent = { type: "notification"; notification: NotificationJson } | { type: "resync" };

export type NotificationListener = (event: NotificationEvent) => void;

export class NotificationHub {
  private readonly listeners = new Map<string, Set<NotificationListener>>();
  private readonly instanceId = randomBytes(8).toString("hex");
  private readonly stopReconnectListener: (() => void) | null = null;
  private closed = false;

  /** `link`: this instance's Redis connection, or null on a single instance. */
  constructor(
    private readonly link: RedisLink | null,
    private readonly log: Logger,
  ) {
    if (!link) return;
    void link
      .subscribe(CHANNEL, (data) => this.onMessage(data.toString()))
      .catch((error: Error) => log.error("notification subscribe failed", { error: error.message }));
    this.stopReconnectListener = link.onReconnect(() => {
      for (const set of this.listeners.values()) for (const listener of set) listener({ type: "resync" });
    });
  }

  /** Listens for `userId`'s notifications; returns the function that stops listening. */
  subscribe(userId: string, listener: NotificationListener): () => void {
    let set = this.listeners.get(userId);
    if (!set) this.listeners.set(userId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(userId) === set) this.listeners.delete(userId);
    };
  }

  /** How many pages of `userId` listen on this instance. */
  listenerCount(userId: string): number {
    return this.listeners.get(userId)?.size ?? 0;
  }

  /** Delivers a stored notification to its recipient's open pages, here and on other instances. */
  push(notification: NotificationJson): void {
    this.emit(notification.recipientId, { type: "notification", notification });
    if (!this.link || this.closed) return;
    this.link
      .publish(CHANNEL, `${this.instanceId} ${JSON.stringify(notification)}`)
      .catch((error: Error) => this.log.warn("notification publish failed", { error: error.message }));
  }

  private onMessage(message: string): void {
    const space = message.indexOf(" ");
    if (space < 0 || message.slice(0, space) === this.instanceId) return; // ours, already delivered
    try {
      const notification = JSON.parse(message.slice(space + 1)) as NotificationJson;
      if (typeof notification?.recipientId === "string") this.emit(notification.recipientId, { type: "notification", notification });
    } catch {
      this.log.warn("ignoring a malformed notification message");
    }
  }

  private emit(userId: string, event: NotificationEvent): void {
    for (const listener of this.listeners.get(userId) ?? []) listener(event);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.stopReconnectListener?.();
    await this.link?.unsubscribe(CHANNEL);
  }
}
