// One instance's connection to Redis: a publisher (which also runs plain commands, such as the
// sign-in throttle's) and a subscriber, shared by everything that talks between instances —
// document fan-out (server/collab/fanout/RedisFanout.ts) and access changes
// (server/access/AccessChanges.ts). Two connections per instance, whatever uses them.
//
// Pub/sub keeps nothing: what was published while our subscriber was away is gone. ioredis
// re-subscribes by itself on reconnect; users register onReconnect to catch up (resynchronise
// documents, re-check access).
import { Redis } from "ioredis";
import type { Logger } from "../log.ts";
import { metrics } from "../metrics/metrics.ts";

/** A ping slower than this counts as Redis unreachable (/readyz). */
export const PING_TIMEOUT_MS = 1_000;

/** The longest a close waits for Redis to take what was sent before it. */
const CLOSE_TIMEOUT_MS = 1_000;

type ChannelHandler = (data: Buffer) => void;

export class RedisLink {
  /** Publishes and runs commands. */
  readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly channels = new Map<string, ChannelHandler>();
  private readonly reconnectListeners = new Set<() => void>();
  private closed = false;

  constructor(url: string, log: Logger) {
    // Commands wait for a reconnect rather than fail: a publish made while Redis restarts
    // still goes out. Callers that must not wait (ping, the throttle) check `ready` first.
    const options = { maxRetriesPerRequest: null, enableOfflineQueue: true };
    this.commands = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    for (const client of [this.commands, this.subscriber]) {
      client.on("error", (error) => log.warn("redis error", { error: error.message }));
    }
    metrics.setRedisStateSource(() => this.ready);
    this.subscriber.on("messageBuffer", (channel: Buffer, data: Buffer) => this.channels.get(channel.toString())?.(data));
    let connectedBefore = false;
    this.subscriber.on("ready", () => {
      if (connectedBefore) {
        log.info("redis reconnected; catching up on what was published meanwhile");
        for (const listener of this.reconnectListeners) listener();
      }
      connectedBefore = true;
    });
  }

  /** Both connections are up. */
  get ready(): boolean {
    return this.commands.status === "ready" && this.subscriber.status === "ready";
  }

  /** Calls `listener` after the subscriber came back from a disconnection (not on the first connect). */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Routes `channel`'s messages to `handler` (one handler per channel) once Redis confirms. */
  async subscribe(channel: string, handler: ChannelHandler): Promise<void> {
    this.channels.set(channel, handler);
    try {
      await this.subscriber.subscribe(channel);
    } catch (error) {
      if (this.channels.get(channel) === handler) this.channels.delete(channel);
      throw error;
    }
  }

  async unsubscribe(channel: string): Promise<void> {
    this.channels.delete(channel);
    await this.subscriber.unsubscribe(channel).catch(() => undefined);
  }

  publish(channel: string, message: Buffer | string): Promise<number> {
    return this.commands.publish(channel, message);
  }

  /** True when Redis answers a ping within PING_TIMEOUT_MS; false at once while disconnected
   *  (a ping would otherwise wait in ioredis' offline queue until Redis came back). */
  async ping(): Promise<boolean> {
    if (this.commands.status !== "ready") return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        this.commands.ping(),
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
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    this.reconnectListeners.clear();
    metrics.setRedisStateSource(null);
    await Promise.all([this.commands, this.subscriber].map(closeGracefully));
  }
}

/** QUIT, so commands already sent (a last publish) reach Redis; at once when it is not
 *  connected, and never longer than CLOSE_TIMEOUT_MS. */
async function closeGracefully(client: Redis): Promise<void> {
  if (client.status === "ready") {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.quit().catch(() => undefined),
      new Promise((resolve) => {
        timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
  }
  client.disconnect();
}
