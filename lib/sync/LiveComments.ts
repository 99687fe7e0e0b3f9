// Client side of the COMMENT extension message (lib/protocolExtensions.ts): the document's
// threads as the server last told them (the whole list at every join, then each changed
// thread), and requests answered on this socket. Works with a stock y-websocket provider, in
// the browser and in Node (tests, the benchmark).
import type * as decoding from "lib0/decoding";
import type { WebsocketProvider } from "y-websocket";
import { EXTENSION_SUBPROTOCOL, ExtensionMessageType, encodeCommentFrame, readCommentFrame } from "../protocolExtensions.ts";
import type { CommentRequest, CommentResult, ThreadJson } from "../comments/commentModel.ts";

/** Told which threads changed (deleted ones with `deleted: true`); `list` has them all. */
type Listener = (changed: ThreadJson[]) => void;

export class LiveComments {
  private readonly threads = new Map<string, ThreadJson>();
  private readonly listeners = new Set<Listener>();
  /** Versions of deleted threads, so a late copy of one does not bring it back. */
  private readonly deletedVersions = new Map<string, number>();
  /** Threads events told of since this socket joined: the join's list may have been read
   *  before they were made, so its lacking them does not mean they were deleted. */
  private readonly seenSinceJoin = new Set<string>();
  private readonly pending = new Map<number, (result: CommentResult) => void>();
  private nextRequestId = 1;
  /** Author ids that are this person's: their account's, and a guest's as the server answers
   *  (a link's guest learns its id from its first comment). */
  readonly ownAuthorIds = new Set<string>();
  /** True once the server sent the whole list (after each join). */
  loaded = false;

  /** Call before the provider connects. */
  constructor(private readonly provider: WebsocketProvider) {
    if (!provider.protocols.includes(EXTENSION_SUBPROTOCOL)) provider.protocols.push(EXTENSION_SUBPROTOCOL);
    provider.messageHandlers[ExtensionMessageType.COMMENT] = (_encoder, decoder: decoding.Decoder) => this.receive(decoder);
    provider.on("status", this.onStatus);
  }

  /** Sorted on first read after a change (a page reads it once per change; a benchmark's
   *  fifty clients in one process never do). */
  private sorted: ThreadJson[] | null = null;

  /** Threads that are not deleted, in the order they were made. */
  get list(): ThreadJson[] {
    // ISO dates in one format: plain string order is time order.
    this.sorted ??= [...this.threads.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
    return this.sorted;
  }

  thread(id: string): ThreadJson | undefined {
    return this.threads.get(id);
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends `request`; resolves with the server's answer (an error when offline). */
  request(request: CommentRequest): Promise<CommentResult> {
    const ws = this.provider.ws;
    if (!ws || ws.readyState !== 1 || !this.provider.wsconnected) {
      return Promise.resolve({ ok: false, error: { code: "unavailable", message: "Not connected: comments are sent once the connection is back." } });
    }
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      ws.send(encodeCommentFrame({ requestId, json: JSON.stringify(request) }));
    });
  }

  destroy(): void {
    this.provider.off("status", this.onStatus);
    this.listeners.clear();
    this.failPending();
  }

  private readonly onStatus = ({ status }: { status: string }): void => {
    if (status === "connected") return;
    this.failPending();
    this.seenSinceJoin.clear();
  };

  private failPending(): void {
    for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: "unavailable", message: "The connection closed before the server answered; try again." } });
    this.pending.clear();
  }

  private receive(decoder: decoding.Decoder): void {
    const { requestId, json } = readCommentFrame(decoder);
    const message = JSON.parse(json) as CommentResult | { threads: ThreadJson[]; complete?: boolean };
    if (requestId !== 0) {
      const resolve = this.pending.get(requestId);
      this.pending.delete(requestId);
      if ("ok" in message && message.ok) {
        const mine = message.thread.comments.find((c) => c.id === message.commentId);
        const learned = mine !== undefined && !this.ownAuthorIds.has(mine.authorId);
        if (mine) this.ownAuthorIds.add(mine.authorId);
        if (!this.apply([message.thread], false) && learned) this.emit([]);
      }
      resolve?.(message as CommentResult);
      return;
    }
    if ("threads" in message) this.apply(message.threads, message.complete === true);
  }

  /** Applies threads; true when listeners were told. */
  private apply(threads: ThreadJson[], complete: boolean): boolean {
    const changed: ThreadJson[] = [];
    if (complete) {
      // The whole list: what it lacks was deleted while we were away.
      const present = new Set(threads.map((t) => t.id));
      for (const [id, thread] of this.threads) {
        if (!present.has(id) && !this.seenSinceJoin.has(id)) {
          this.threads.delete(id);
          changed.push({ ...thread, deleted: true });
        }
      }
      this.loaded = true;
    }
    for (const thread of threads) {
      if (!complete) this.seenSinceJoin.add(thread.id);
      const known = this.threads.get(thread.id)?.version ?? this.deletedVersions.get(thread.id);
      if (known !== undefined && known >= thread.version) continue;
      if (thread.deleted) {
        this.threads.delete(thread.id);
        this.deletedVersions.set(thread.id, thread.version);
      } else this.threads.set(thread.id, thread);
      changed.push(thread);
    }
    if (changed.length === 0 && !complete) return false;
    this.emit(changed);
    return true;
  }

  private emit(changed: ThreadJson[]): void {
    this.sorted = null;
    for (const listener of this.listeners) listener(changed);
  }
}
