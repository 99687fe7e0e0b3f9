// One client WebSocket: safe sends (never on a closing socket), closing, liveness and its
// frame rate. What a room keeps per connection (awareness throttle, durable-ack counts) is the
// room's (Room.ts); the socket's lifecycle is SocketSession's.

import { metrics } from "../metrics/metrics.ts";
import type { Duplex } from "node:stream";
import WebSocket from "ws";
import { EXTENSION_SUBPROTOCOL } from "../../lib/protocolExtensions.ts";
import type { CollabLimits } from "./limits.ts";
import type { Grant } from "./access.ts";
import { TokenBucket } from "./TokenBucket.ts";
import { wireFrame, type WireFrame } from "./wireFrame.ts";

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
  for (const connection of connections) {
    // A throw here would be uncaught (this runs as a tick callback) and end the process: one
    // broken socket loses its connection instead, and the others still get their frames.
    try {
      connection.flush();
    } catch {
      connection.socket.terminate();
    }
  }
}

let connectionsMade = 0;

export class Connection {
  /** The client negotiated our protocol extensions (lib/protocolExtensions.ts). */
  readonly extensions: boolean;
  /** Set by every pong; cleared at each heartbeat. */
  private alive = true;
  /** Rate limits of this socket's frames (limits.ts). */
  private readonly messageBudget: TokenBucket;
  private readonly byteBudget: TokenBucket;

  /** Short id that ties this socket's log lines together (unique within the process). */
  readonly id = `c${(++connectionsMade).toString(36)}`;

  /** Buffers of the frames sent during the current task, written together when it ends (see send). */
  private outbox: Buffer[] = [];

  constructor(
    readonly socket: WebSocket,
    /** The TCP (or TLS) stream under `socket`: frames are written to it already framed. */
    private readonly stream: Duplex,
    readonly documentId: string,
    limits: CollabLimits,
    /** Who this is and what they may do; the role changes in place when access changes (AccessWatch). */
    readonly grant: Grant,
  ) {
    this.messageBudget = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.byteBudget = new TokenBucket(limits.bytesPerSecond, limits.byteBurst);
    this.extensions = socket.protocol === EXTENSION_SUBPROTOCOL;
    socket.on("close", (code: number) => metrics.closeCodes.inc({ code: String(code) }));
    socket.on("pong", () => {
      this.alive = true;
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** One heartbeat: a peer that has not answered the previous ping is dropped, others pinged. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  /** Sends one binary message (see sendFrame). */
  send(payload: Uint8Array): void {
    this.sendFrame(wireFrame(payload));
  }

  /**
   * Sends an already framed message if the socket is open; drops a peer that cannot keep up.
   *
   * Frames go to the stream when the current task ends, all of this connection's in one
   * system call: a join's handshake, a keystroke's update and cursor, or the several updates
   * read in one chunk from a writer that got ahead of a busy server. Each write to a socket
   * costs a system call, and on a loaded server those calls are most of the fan-out's CPU.
   * Written past ws, which is safe because ws (without compression) writes its own frames
   * (pings, close) to the same stream at once: frames never interleave, and its
   * `bufferedAmount` counts ours. Nothing is written once ws leaves the OPEN state.
   */
  sendFrame(frame: WireFrame): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.terminate();
      return;
    }
    if (this.outbox.length === 0) scheduleFlush(this);
    metrics.collabTraffic.messagesOut++;
    for (const buffer of frame) this.outbox.push(buffer);
  }

  /** Writes the frames queued by sendFrame(). Write errors reach ws, which closes the socket. */
  flush(): void {
    const buffers = this.outbox;
    if (buffers.length === 0) return;
    this.outbox = [];
    if (!this.open) return;
    for (const buffer of buffers) metrics.collabTraffic.bytesOut += buffer.length;
    if (buffers.length === 1) {
      this.stream.write(buffers[0]);
      return;
    }
    this.stream.cork();
    for (const buffer of buffers) this.stream.write(buffer);
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
