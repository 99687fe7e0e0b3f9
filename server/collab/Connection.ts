// One client WebSocket: safe sends (never on a closing socket), heartbeat bookkeeping, rate
// budgets and the counters behind durable-save acks.

import type { Duplex } from "node:stream";
import WebSocket from "ws";
import { EXTENSION_SUBPROTOCOL } from "../../lib/protocolExtensions.ts";
import type { CollabLimits } from "./limits.ts";
import type { Grant } from "./access.ts";
import { TokenBucket } from "./TokenBucket.ts";

/** Stop sending to a peer whose unsent backlog exceeds this; it is too slow to keep up. */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** Connections with queued frames, flushed together once the current task's work is done. */
let pendingFlush: Connection[] = [];

function scheduleFlush(connection: Connection): void {
  pendingFlush.push(connection);
  // One callback per task, however many connections it sent to.
  if (pendingFlush.length === 1) process.nextTick(flushAll);
}

function flushAll(): void {
  const connections = pendingFlush;
  pendingFlush = [];
  for (const connection of connections) connection.flush();
}

export class Connection {
  /** Set by every pong; cleared at each heartbeat tick. */
  alive = true;
  /** Document update frames applied from this socket; durable-save acks count against it. */
  receivedUpdates = 0;
  /**
   * Of those, how many are fully merged into the document. A frame whose dependencies have
   * not arrived is held by Yjs as pending: not in the document, so not written, so it must
   * not be acknowledged until the pending part merges.
   */
  mergedUpdates = 0;
  /** The count in the last ack sent, so an idle writer re-acks only what is new. */
  acknowledgedUpdates = 0;
  /** The client negotiated our protocol extensions (lib/protocolExtensions.ts). */
  readonly extensions: boolean;

  /** Rate limits of this socket (limits.ts). */
  readonly messageBudget: TokenBucket;
  readonly byteBudget: TokenBucket;
  readonly awarenessBudget: TokenBucket;
  /** The latest awareness update held back by the awareness rate limit, applied when it allows. */
  heldAwareness: Uint8Array | null = null;
  heldAwarenessTimer: NodeJS.Timeout | null = null;
  /** Sent the document's stored state before the room was built (see Rooms.onStoredState). */
  servedStoredState = false;
  /** Document updates refused because the role cannot edit (see Room.refuseUpdate). */
  refusedUpdates = 0;

  /** Frames sent during the current task, written together when it ends (see send). */
  private outbox: Uint8Array[] = [];

  constructor(
    readonly socket: WebSocket,
    readonly documentId: string,
    limits: CollabLimits,
    /** Who this is and what they may do; the role is lowered in place when access changes. */
    readonly grant: Grant,
    /** The TCP (or TLS) stream under `socket`, corked while a batch of frames is written. */
    private readonly stream: Duplex | null = null,
  ) {
    this.messageBudget = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.byteBudget = new TokenBucket(limits.bytesPerSecond, limits.byteBurst);
    this.awarenessBudget = new TokenBucket(limits.awarenessPerSecond, limits.awarenessPerSecond);
    this.extensions = socket.protocol === EXTENSION_SUBPROTOCOL;
    socket.on("pong", () => {
      this.alive = true;
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a binary frame if the socket is open; drops a peer that cannot keep up.
   *
   * Frames are written when the current task ends, all of this connection's in one system
   * call: a join's handshake, a keystroke's update and cursor, or the several updates read
   * in one chunk from a writer that got ahead of a busy server. Each write to a socket costs
   * a system call, and on a loaded server those calls are most of the fan-out's CPU; a
   * reader's kernel queue also fills more slowly with one segment than with many.
   */
  send(frame: Uint8Array): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.terminate();
      return;
    }
    this.outbox.push(frame);
    if (this.outbox.length === 1) scheduleFlush(this);
  }

  /**
   * Sends a frame now (after any queued ones) and resolves once it is handed to the kernel,
   * or at once when the socket is not open. For a large frame that must not wait behind work
   * about to block the event loop (see Rooms.load).
   */
  sendNow(frame: Uint8Array): Promise<void> {
    this.flush();
    if (!this.open) return Promise.resolve();
    return new Promise((resolve) => this.socket.send(frame, { binary: true }, () => resolve()));
  }

  /** Writes the frames queued by send(). Write errors close the socket (ws handles them). */
  flush(): void {
    const frames = this.outbox;
    if (frames.length === 0) return;
    this.outbox = [];
    if (!this.open) return;
    if (frames.length === 1 || !this.stream) {
      for (const frame of frames) this.socket.send(frame, { binary: true });
      return;
    }
    this.stream.cork();
    for (const frame of frames) this.socket.send(frame, { binary: true });
    this.stream.uncork();
  }

  /** Takes one frame of `bytes` from the rate budgets; false when over either. */
  withinRate(bytes: number): boolean {
    return this.messageBudget.take(1) && this.byteBudget.take(bytes);
  }

  /** Closes with a code from lib/closeCodes.ts, after the frames already sent; a no-op on an already closing socket. */
  close(code: number, reason = ""): void {
    this.flush();
    if (this.socket.readyState === WebSocket.CONNECTING || this.open) this.socket.close(code, reason);
  }
}
