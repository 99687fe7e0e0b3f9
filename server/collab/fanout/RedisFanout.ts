// Fanout over Redis pub/sub: one channel per document, binary messages
// [instance id (16 bytes)][kind (1 byte)][payload]. Redis echoes a publisher's own messages
// to its subscription, so each message carries the sender's id and an instance skips its own.

import { metrics } from "../../metrics/metrics.ts";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "../../log.ts";
import type { Fanout, FanoutMessage } from "./Fanout.ts";

/** A subscribe that has not been confirmed by then fails the document load (clients retry). */
export const SUBSCRIBE_TIMEOUT_MS = 5_000;
/** A ping slower than this counts as Redis unreachable (/readyz). */
export const PING_TIMEOUT_MS = 1_000;
/** After a failed publish, how long until the document is resynchronised (retried until Redis answers). */
export const RESYNC_RETRY_MS = 1_000;
const CHANNEL_PREFIX = "collab:doc:";
const INSTANCE_ID_BYTES = 16;
const KINDS: FanoutMessage["kind"][] = ["update", "awareness", "sync-request"];

export class RedisFanout implements Fanout {
  /** Random per process, so two instances on one host are still told apart. */
  private readonly instanceId = randomBytes(INSTANCE_ID_BYTES);
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, (message: FanoutMessage) => void>();
  private readonly resyncListeners = new Set<(documentId: string | null) => void>();
  /** Documents whose resync waits for Redis to answer again. */
  private readonly pendingResync = new Set<string>();
  private resyncTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    const options = { lazyConnect: false, maxRetriesPerRequest: null, enableOfflineQueue: true };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    metrics.setRedisStateSource(() => this.publisher.status === "ready" && this.subscriber.status === "ready");
    for (const client of [this.publisher, this.subscriber]) {
      client.on("error", (error) => log.warn("redis error", { error: error.message }));
    }
    this.subscriber.on("messageBuffer", (channel: Buffer, data: Buffer) => this.onMessage(channel, data));
    // Pub/sub keeps nothing: whatever other instances published while our subscriber was away is
    // gone. ioredis re-subscribes on reconnect; then every document is resynchronised.
    let connectedBefore = false;
    this.subscriber.on("ready", () => {
      if (connectedBefore) {
        log.info("redis reconnected; resynchronising every loaded document");
        this.emitResync(null);
      }
      connectedBefore = true;
    });
  }

  onResyncNeeded(listener: (documentId: string | null) => void): void {
    this.resyncListeners.add(listener);
  }

  async subscribe(documentId: string, onMessage: (message: FanoutMessage) => void): Promise<void> {
    this.handlers.set(documentId, onMessage);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.subscriber.subscribe(CHANNEL_PREFIX + documentId),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("redis subscribe timed out")), SUBSCRIBE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.handlers.delete(documentId);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async unsubscribe(documentId: string): Promise<void> {
    this.handlers.delete(documentId);
    await this.subscriber.unsubscribe(CHANNEL_PREFIX + documentId).catch(() => undefined);
  }

  publish(documentId: string, message: FanoutMessage): void {
    const data = Buffer.allocUnsafe(INSTANCE_ID_BYTES + 1 + message.payload.length);
    this.instanceId.copy(data, 0);
    data[INSTANCE_ID_BYTES] = KINDS.indexOf(message.kind);
    data.set(message.payload, INSTANCE_ID_BYTES + 1);
    this.publisher.publish(CHANNEL_PREFIX + documentId, data).catch((error: Error) => {
      if (this.closed) return;
      // The other instances did not get it: resynchronise the document once Redis answers.
      this.log.warn("redis publish failed; the document will be resynchronised", { documentId, error: error.message });
      this.pendingResync.add(documentId);
      this.scheduleResync();
    });
  }

  private scheduleResync(): void {
    if (this.resyncTimer || this.closed) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      void this.ping().then((ok) => {
        if (!ok) return this.scheduleResync();
        const documents = [...this.pendingResync];
        this.pendingResync.clear();
        for (const documentId of documents) this.emitResync(documentId);
      });
    }, RESYNC_RETRY_MS);
    this.resyncTimer.unref();
  }

  private emitResync(documentId: string | null): void {
    for (const listener of this.resyncListeners) listener(documentId);
  }

  async ping(): Promise<boolean> {
    // While disconnected, commands wait in ioredis' offline queue: a ping would hang /readyz
    // until Redis came back. Not connected means not ready, and a slow answer too.
    if (this.publisher.status !== "ready") return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        this.publisher.ping(),
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), PING_TIMEOUT_MS);
        }),
      ]);
      return answer === "PONG";
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.handlers.clear();
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private onMessage(channel: Buffer, data: Buffer): void {
    if (data.length <= INSTANCE_ID_BYTES) return;
    if (data.subarray(0, INSTANCE_ID_BYTES).equals(this.instanceId)) return;
    const kind = KINDS[data[INSTANCE_ID_BYTES]];
    const handler = this.handlers.get(channel.toString().slice(CHANNEL_PREFIX.length));
    if (!kind || !handler) return;
    handler({ kind, payload: new Uint8Array(data.subarray(INSTANCE_ID_BYTES + 1)) });
  }
}
