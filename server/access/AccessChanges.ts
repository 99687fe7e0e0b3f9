// "Access to document X changed" (a link revoked, a role lowered): told to this instance's
// collab server at once and, through Redis, to every other instance, so their open sockets
// are re-checked too. Revocation reaches live sockets in milliseconds, well within 2 s.
import { randomBytes } from "node:crypto";
import type { RedisLink } from "../redis/RedisLink.ts";
import type { Logger } from "../log.ts";

const CHANNEL = "collab:access-changed";
/** Sent in place of a document id: access may have changed on every document. */
const EVERY_DOCUMENT = "*";

/** A document whose access changed, or null: anything may have changed (notifications were lost). */
export type AccessChangeListener = (documentId: string | null) => void;

/** A publish that failed is retried this often until Redis takes it. */
export const PUBLISH_RETRY_MS = 500;

export class AccessChanges {
  private readonly listeners = new Set<AccessChangeListener>();
  private readonly instanceId = randomBytes(8).toString("hex");
  private readonly stopReconnectListener: (() => void) | null = null;

  /** `link`: this instance's Redis connection, or null on a single instance (no REDIS_URL). */
  constructor(
    private readonly link: RedisLink | null,
    log: Logger,
  ) {
    if (!link) return;
    void link.subscribe(CHANNEL, (data) => this.onMessage(data.toString())).catch((error: Error) => log.error("access change subscribe failed", { error: error.message }));
    // Changes published by other instances while our subscriber was away are gone (pub/sub keeps
    // nothing): after a reconnect every open socket is re-checked.
    this.stopReconnectListener = link.onReconnect(() => this.emit(null));
  }

  private onMessage(message: string): void {
    const space = message.indexOf(" ");
    if (space < 0 || message.slice(0, space) === this.instanceId) return; // our own, already told
    const documentId = message.slice(space + 1);
    this.emit(documentId === EVERY_DOCUMENT ? null : documentId);
  }

  /** Announces that access to `documentId` changed. A revocation must reach every instance:
   *  a failed publish is retried until it succeeds (or the process closes). */
  publish(documentId: string): void {
    this.emit(documentId);
    this.send(`${this.instanceId} ${documentId}`);
  }

  /** Announces that access may have changed on every document (a workspace role lowered, an
   *  admin demoted, an account deactivated): every open socket is re-checked. */
  publishAll(): void {
    this.emit(null);
    this.send(`${this.instanceId} ${EVERY_DOCUMENT}`);
  }

  private closed = false;
  private send(message: string): void {
    if (!this.link || this.closed) return;
    this.link.publish(CHANNEL, message).catch(() => {
      if (this.closed) return;
      setTimeout(() => this.send(message), PUBLISH_RETRY_MS).unref();
    });
  }

  subscribe(listener: AccessChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.stopReconnectListener?.();
    void this.link?.unsubscribe(CHANNEL);
  }

  private emit(documentId: string | null): void {
    for (const listener of this.listeners) listener(documentId);
  }
}
