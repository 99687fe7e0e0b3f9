// The loaded documents of this process. Concurrent joiners of a document share one load;
// a room is unloaded only when its last connection has left and its writes are committed.

import { Room, type RoomServices } from "./Room.ts";
import type { DocumentStorage } from "./storage/DocumentStorage.ts";
import type { Logger } from "../log.ts";
import type { CollabLimits } from "./limits.ts";
import type { Fanout, FanoutMessage } from "./fanout/Fanout.ts";
import { encodeSyncStep2 } from "./protocol.ts";
import type { RoomObserver } from "./RoomObserver.ts";
import type { CollabComments } from "./CollabComments.ts";
import type { Authorship } from "../attribution/Authorship.ts";
import type { RoomAuthors } from "../attribution/RoomAuthors.ts";

/** Told a document's stored state (as a sync step 2 frame) as soon as it is read, before the
 *  room is set up (which reads the state vector off a large state for milliseconds): a new
 *  joiner needs only these bytes to be in sync. */
export type StoredStateListener = (stateFrame: Uint8Array) => void;

export interface RoomsOptions extends RoomServices {
  /** Client id owners, loaded with each room (omit: attribution off, e.g. sync-layer tests). */
  authorship?: Authorship | null;
}

/** Shutdown waits at most this long for pending writes. A database outage must not hang
 *  SIGTERM: what is not written by then stays in the clients' copies, and they send it again
 *  when they reconnect (the server's sync step 1 asks for what it lacks). */
export const SHUTDOWN_FLUSH_TIMEOUT_MS = 10_000;

/** Thrown to an acquirer once shutdown has begun: no document is loaded any more. */
export class RoomsClosedError extends Error {
  constructor() {
    super("the server is shutting down");
  }
}

export class Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly unloading = new Map<string, Promise<void>>();
  /** Acquirers waiting for a document's load that want its stored state as soon as it is read. */
  private readonly storedStateListeners = new Map<string, Set<StoredStateListener>>();
  /** close() has begun: no new room is loaded or handed out. */
  private closing = false;
  /** close() has destroyed every room: a late release has nothing left to unload. */
  private closed = false;
  /** Where rooms load from and write to (the content API stores a new document's first state there). */
  readonly storage: DocumentStorage;
  /** The limits every room applies (the content API checks a change's size against them first). */
  readonly limits: CollabLimits;
  private readonly log: Logger;
  private readonly fanout: Fanout | null;
  private readonly observer: RoomObserver | null;
  private readonly comments: CollabComments | null;
  /** Client id owners of every room (null: attribution off); readClientOwners asks it for
   *  owners this instance has not saved yet. */
  readonly authorship: Authorship | null;

  constructor({ storage, log, limits, fanout = null, observer = null, comments = null, authorship = null }: RoomsOptions) {
    this.storage = storage;
    this.log = log;
    this.limits = limits;
    this.fanout = fanout;
    this.observer = observer;
    this.comments = comments;
    this.authorship = authorship;
    // Messages between instances were lost (Redis reconnected, or a publish failed): each
    // affected room asks the others for what it misses, and offers what they miss (see Room).
    fanout?.onResyncNeeded((documentId) => {
      const affected = documentId === null ? [...this.rooms.values()] : [this.rooms.get(documentId)];
      for (const room of affected) room?.requestRemoteState();
    });
  }

  /** Sends a comment event to the document's sockets here and on every other instance. */
  publishComment(documentId: string, frame: Uint8Array): void {
    const room = this.rooms.get(documentId);
    if (room) room.broadcastComment(frame);
    else this.fanout?.publish(documentId, { kind: "comment", payload: frame });
  }

  /** Loaded documents plus those loading. */
  get size(): number {
    return this.rooms.size + this.loading.size;
  }

  /** The loaded room, if any (for tests and metrics). */
  peek(documentId: string): Room | undefined {
    return this.rooms.get(documentId);
  }

  /**
   * Returns the room, loading it once however many connections ask at the same time. Every
   * acquire must be paired with one release. The hold is taken synchronously with the lookup,
   * so an unload finishing in between can never hand out a destroyed room. `onStoredState`
   * is told the stored state if this acquire waits for a load that reads one.
   */
  async acquire(documentId: string, { onStoredState }: { onStoredState?: StoredStateListener } = {}): Promise<Room> {
    if (onStoredState) {
      const listeners = this.storedStateListeners.get(documentId) ?? new Set();
      listeners.add(onStoredState);
      this.storedStateListeners.set(documentId, listeners);
    }
    try {
      for (;;) {
        if (this.closing) throw new RoomsClosedError();
        const room = this.rooms.get(documentId);
        if (room) {
          room.holders++;
          return room;
        }
        let pending = this.loading.get(documentId);
        if (!pending) {
          pending = this.load(documentId).finally(() => this.loading.delete(documentId));
          this.loading.set(documentId, pending);
        }
        await pending;
      }
    } finally {
      if (onStoredState) {
        const listeners = this.storedStateListeners.get(documentId);
        listeners?.delete(onStoredState);
        if (listeners?.size === 0) this.storedStateListeners.delete(documentId);
      }
    }
  }

  /** Gives back a hold from acquire: unloads the room once nobody holds it and its writes are done. */
  release(room: Room): void {
    room.holders--;
    if (this.closed || room.holders > 0 || this.unloading.has(room.documentId)) return;
    const done = this.unload(room).finally(() => this.unloading.delete(room.documentId));
    this.unloading.set(room.documentId, done);
  }

  /**
   * Commits every pending write of every room (shutdown), waiting at most `timeoutMs`: then
   * every writer stops retrying, and what it still held is logged as not written (the clients
   * that sent it still have it). Resolves with the number of documents left with unwritten updates.
   */
  async flushAll(timeoutMs = SHUTDOWN_FLUSH_TIMEOUT_MS): Promise<number> {
    // Updates held for another instance's confirmation are written now: this one is leaving.
    for (const room of this.rooms.values()) room.unconfirmed?.writeAll();
    const flushed = (async () => {
      await Promise.all([...this.rooms.values()].map(async (room) => {
        await room.writer.flush();
        await room.authors?.flush();
      }));
      await Promise.all([...this.unloading.values()]);
    })();
    if (await settledWithin(flushed, timeoutMs)) return 0;
    const unwritten = [...this.rooms.values()].filter((room) => !room.writer.idle);
    for (const room of this.rooms.values()) room.writer.stop();
    this.log.error("shutdown: updates not written (database unreachable); the clients that sent them keep them and resend them on reconnect", {
      timeoutMs,
      documents: unwritten.length,
      queuedUpdates: unwritten.reduce((sum, room) => sum + room.writer.pendingUpdates, 0),
      documentIds: unwritten.slice(0, 20).map((room) => room.documentId),
    });
    return unwritten.length;
  }

  /**
   * Shutdown, after every socket was closed: commits what is pending (flushAll), then
   * destroys every room, also those a socket released too late for the flush or that were
   * still held. Nothing of a room may outlive this: a writer still retrying or an Awareness
   * timer would write to a closed database and keep the process from exiting.
   */
  async close(timeoutMs = SHUTDOWN_FLUSH_TIMEOUT_MS): Promise<number> {
    this.closing = true;
    const unwritten = await this.flushAll(timeoutMs);
    // Unloads begun during the flush: their writes are committed (or given up) by now.
    for (const room of this.rooms.values()) room.writer.stop();
    await settledWithin(Promise.allSettled([...this.unloading.values()]), timeoutMs);
    this.closed = true;
    for (const room of this.rooms.values()) {
      if (room.authors) this.authorship?.forget(room.authors);
      room.destroy();
      await this.fanout?.unsubscribe(room.documentId).catch(() => {});
    }
    this.rooms.clear();
    return unwritten;
  }

  private async load(documentId: string): Promise<Room> {
    // A previous unload of the same document may still be compacting: wait, so the new
    // load sees the compacted state rather than racing it.
    await this.unloading.get(documentId);
    // Subscribe before reading the database, so no update published by another instance
    // can fall between what the database had and what the subscription delivers.
    let room: Room | null = null;
    const early: [FanoutMessage, string][] = [];
    await this.fanout?.subscribe(documentId, (message, sender) => (room ? room.receiveRemote(message, sender) : early.push([message, sender])));
    let state: Uint8Array | null;
    let authors: RoomAuthors | null;
    try {
      [state, authors] = await Promise.all([this.storage.load(documentId), this.authorship?.open(documentId) ?? null]);
    } catch (error) {
      await this.fanout?.unsubscribe(documentId);
      throw error;
    }
    let stateFrame: Uint8Array | null = null;
    const listeners = this.storedStateListeners.get(documentId);
    if (state && listeners && listeners.size > 0) {
      stateFrame = encodeSyncStep2(state);
      for (const listener of [...listeners]) listener(stateFrame);
      // Let those frames reach the sockets before the room reads the state vector off the state.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Shutdown began while this load read the database: build nothing close() would not see.
    if (this.closing) {
      await this.fanout?.unsubscribe(documentId);
      throw new RoomsClosedError();
    }
    const loaded = new Room({
      documentId,
      initialState: state,
      initialStateFrame: stateFrame,
      storage: this.storage,
      log: this.log,
      limits: this.limits,
      fanout: this.fanout,
      observer: this.observer,
      comments: this.comments,
      authors,
    });
    room = loaded;
    for (const [message, sender] of early) loaded.receiveRemote(message, sender);
    loaded.requestRemoteState();
    this.rooms.set(documentId, loaded);
    this.observer?.loaded(loaded);
    return loaded;
  }

  private async unload(room: Room): Promise<void> {
    // First, while the document can still change: anything the observer writes into it (a
    // seeded title) is then part of the flush below.
    await this.observer?.unloading(room).catch((error: unknown) =>
      this.log.error("room observer failed on unload", { documentId: room.documentId, error: String(error) }),
    );
    // Updates applied from other instances exist only in memory here until their origin says
    // it stored them: wait for that (or write them after the timeout) before letting go.
    await room.unconfirmed?.settled();
    try {
      await room.writer.flushAndCompact();
    } catch (error) {
      this.log.error("compaction on unload failed", { documentId: room.documentId, error: String(error) });
    }
    // Someone may have joined while we were writing: keep the room then.
    if (room.holders > 0) return;
    if (room.authors) await room.authors.flush();
    if (room.holders > 0) return;
    if (room.authors) this.authorship?.forget(room.authors);
    this.rooms.delete(room.documentId);
    room.destroy();
    await this.fanout?.unsubscribe(room.documentId);
  }
}

/** True when `work` resolves within `timeoutMs`; false when the wait ran out first. */
async function settledWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
}
