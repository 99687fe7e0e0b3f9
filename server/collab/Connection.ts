// One client WebSocket: safe sends (never on a closing socket), heartbeat bookkeeping, rate
// budgets and the counters behind durable-save acks.

import WebSocket from "ws";
import { EXTENSION_SUBPROTOCOL } from "../../lib/protocolExtensions.ts";
import type { CollabLimits } from "./limits.ts";
import type { Grant } from "./access.ts";
import { TokenBucket } from "./TokenBucket.ts";

/** Stop sending to a peer whose unsent backlog exceeds this; it is too slow to keep up. */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

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

  constructor(
    readonly socket: WebSocket,
    readonly documentId: string,
    limits: CollabLimits,
    /** Who this is and what they may do; the role is lowered in place when access changes. */
    readonly grant: Grant,
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

  /** Sends a binary frame if the socket is open; drops a peer that cannot keep up. */
  send(frame: Uint8Array): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.terminate();
      return;
    }
    this.socket.send(frame, { binary: true }, (error) => {
      if (error) this.socket.terminate();
    });
  }

  /** Takes one frame of `bytes` from the rate budgets; false when over either. */
  withinRate(bytes: number): boolean {
    return this.messageBudget.take(1) && this.byteBudget.take(bytes);
  }

  /** Closes with a code from lib/closeCodes.ts; a no-op on an already closing socket. */
  close(code: number, reason = ""): void {
    if (this.socket.readyState === WebSocket.CONNECTING || this.open) this.socket.close(code, reason);
  }
}
