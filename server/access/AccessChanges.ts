// "Access to document X changed" (a link revoked, a role lowered): told to this instance's
// collab server at once and, through Redis, to every other instance, so their open sockets
// are re-checked too. Revocation reaches live sockets in milliseconds, well within 2 s.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "../log.ts";

const CHANNEL = "collab:access-changed";

export type AccessChangeListener = (documentId: string) => void;

export class AccessChanges {
  private readonly listeners = new Set<AccessChangeListener>();
  private readonly instanceId = randomBytes(8).toString("hex");
  private readonly publisher: Redis | null = null;
  private readonly subscriber: Redis | null = null;

  constructor(redisUrl: string | undefined, log: Logger) {
    if (!redisUrl) return;
    const options = { maxRetriesPerRequest: null, enableOfflineQueue: true };
    this.publisher = new Redis(redisUrl, options);
    this.subscriber = new Redis(redisUrl, options);
    for (const client of [this.publisher, this.subscriber]) {
      client.on("error", (error) => log.warn("redis error (access changes)", { error: error.message }));
    }
    void this.subscriber.subscribe(CHANNEL).catch((error: Error) => log.error("access change subscribe failed", { error: error.message }));
    this.subscriber.on("message", (_channel: string, message: string) => {
      const space = message.indexOf(" ");
      if (space < 0 || message.slice(0, space) === this.instanceId) return; // our own, already told
      this.emit(message.slice(space + 1));
    });
  }

  /** Announces that access to `documentId` changed. */
  publish(documentId: string): void {
    this.emit(documentId);
    void this.publisher?.publish(CHANNEL, `${this.instanceId} ${documentId}`).catch(() => undefined);
  }

  subscribe(listener: AccessChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([this.publisher?.quit(), this.subscriber?.quit()].map((p) => p?.catch(() => undefined)));
  }

  private emit(documentId: string): void {
    for (const listener of this.listeners) listener(documentId);
  }
}
