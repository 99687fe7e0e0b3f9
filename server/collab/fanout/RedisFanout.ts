// Fanout over Redis pub/sub: one channel per document, binary messages
// [instance id (16 bytes)][kind (1 byte)][seq (6 bytes, "update" and "stored" only)][payload].
// Redis echoes a publisher's own messages to its subscription, so each message carries the
// sender's id and an instance skips its own.

import { randomBytes } from "node:crypto";
import type { RedisLink } from "../../redis/RedisLink.ts";
import type { Logger } from "../../log.ts";
import type { Fanout, FanoutHandler, FanoutMessage } from "./Fanout.ts";

/** A subscribe that has not been confirmed by then fails the document load (clients retry). */
export const SUBSCRIBE_TIMEOUT_MS = 5_000;
/** After a failed publish, how long until the document is resynchronised (retried until Redis answers). */
export const RESYNC_RETRY_MS = 1_000;
/** How long peers hold a relayed update for its origin's "stored" before writing it themselves.
 *  A commit takes milliseconds; waiting longer only delays the rescue after a crash. */
export const CONFIRM_TIMEOUT_MS = 5_000;
const CHANNEL_PREFIX = "collab:doc:";
const INSTANCE_ID_BYTES = 16;
const SEQ_BYTES = 6;
const KINDS: FanoutMessage["kind"][] = ["update", "awareness", "sync-request", "state", "stored", "comment"];
const HEADER_BYTES = INSTANCE_ID_BYTES + 1;

export class RedisFanout implements Fanout {
  /** Random per process, so two instances on one host are still told apart. */
  private readonly instanceId = randomBytes(INSTANCE_ID_BYTES);
  private readonly resyncListeners = new Set<(documentId: string | null) => void>();
  /** Documents whose resync waits for Redis to answer again. */
  private readonly pendingResync = new Set<string>();
  private resyncTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly stopReconnectListener: () => void;

  constructor(
    private readonly link: RedisLink,
    private readonly log: Logger,
    readonly confirmTimeoutMs = CONFIRM_TIMEOUT_MS,
  ) {
    // Whatever other instances published while our subscriber was away is gone: every loaded
    // document is resynchronised.
    this.stopReconnectListener = link.onReconnect(() => this.emitResync(null));
  }

  onResyncNeeded(listener: (documentId: string | null) => void): void {
    this.resyncListeners.add(listener);
  }

  async subscribe(documentId: string, onMessage: FanoutHandler): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.link.subscribe(CHANNEL_PREFIX + documentId, (data) => this.onMessage(data, onMessage)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("redis subscribe timed out")), SUBSCRIBE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      void this.link.unsubscribe(CHANNEL_PREFIX + documentId);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async unsubscribe(documentId: string): Promise<void> {
    await this.link.unsubscribe(CHANNEL_PREFIX + documentId);
  }

  publish(documentId: string, message: FanoutMessage): void {
    const seqBytes = "seq" in message ? SEQ_BYTES : 0;
    const payload = "payload" in message ? message.payload : EMPTY;
    const data = Buffer.allocUnsafe(HEADER_BYTES + seqBytes + payload.length);
    this.instanceId.copy(data, 0);
    data[INSTANCE_ID_BYTES] = KINDS.indexOf(message.kind);
    if ("seq" in message) data.writeUIntBE(message.seq, HEADER_BYTES, SEQ_BYTES);
    data.set(payload, HEADER_BYTES + seqBytes);
    this.link.publish(CHANNEL_PREFIX + documentId, data).catch((error: Error) => {
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

  ping(): Promise<boolean> {
    return this.link.ping();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.stopReconnectListener();
  }

  private onMessage(data: Buffer, handler: FanoutHandler): void {
    if (data.length < HEADER_BYTES) return;
    const sender = data.subarray(0, INSTANCE_ID_BYTES);
    if (sender.equals(this.instanceId)) return;
    const kind = KINDS[data[INSTANCE_ID_BYTES]];
    if (!kind) return;
    const from = sender.toString("hex");
    if (kind === "update" || kind === "stored") {
      if (data.length < HEADER_BYTES + SEQ_BYTES) return;
      const seq = data.readUIntBE(HEADER_BYTES, SEQ_BYTES);
      if (kind === "stored") handler({ kind, seq }, from);
      else handler({ kind, seq, payload: new Uint8Array(data.subarray(HEADER_BYTES + SEQ_BYTES)) }, from);
      return;
    }
    handler({ kind, payload: new Uint8Array(data.subarray(HEADER_BYTES)) }, from);
  }
}

const EMPTY = new Uint8Array(0);
