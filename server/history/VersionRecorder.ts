// Makes a document's versions from its live room (server/collab/Room.ts), as a RoomObserver:
// automatically when a burst of editing ends (VERSION_IDLE_MS without an edit, or every
// VERSION_MAX_SPAN_MS while edits keep coming) and when the last person leaves (the room
// unloads); by hand through makeVersion (a named version, a restore).
//
// Off the per-update path: an update only notes who made it (its connection's identity and the
// Yjs client ids whose state it advanced) and what it deleted (its transaction's delete set, so
// the next version's delta need not repeat the document's whole delete set: versionData.ts).
// The version itself is encoded when it is made: a delta (about 1 ms for the 311 KB paper
// trace) and, when the chain since the last keyframe has grown as large as that keyframe, a
// whole state (10-20 ms); see bench/history.ts.
//
// Each instance versions the edits its own connections make (changes relayed from another
// instance only count as deletions to carry): two people on two instances may give two
// versions of one burst, which the chain stores as two small deltas.
import * as Y from "yjs";
import type { Room } from "../collab/Room.ts";
import type { RoomObserver } from "../collab/RoomObserver.ts";
import { Connection } from "../collab/Connection.ts";
import { ServerEdit } from "../collab/ServerEdit.ts";
import type { Logger } from "../log.ts";
import { BurstTimer } from "../collab/BurstTimer.ts";
import { deltaOf, keyframeOf, mergeDeletions, type DeleteSet } from "./versionData.ts";
import type { ChainTip, NewVersion, VersionAuthor, VersionKind, VersionStore, VersionSummary } from "./VersionStore.ts";

/** Quiet time after the last edit that ends a burst. */
export const VERSION_IDLE_MS = 5 * 60_000;
/** Longest a burst of continuous editing goes without a version. */
export const VERSION_MAX_SPAN_MS = 30 * 60_000;
/** A keyframe is written once the deltas after the last one add up to its size: rebuilding any
 *  version then reads at most about twice the document, and keyframes cost about as much as
 *  the deltas between them. */
const KEYFRAME_CHAIN_RATIO = 1;
/** ... or once this many deltas follow it (each is one applyUpdate when rebuilding). */
const MAX_CHAIN_DELTAS = 400;
/** Transactions' delete sets are merged into one past this many, bounding what is held. */
const MAX_HELD_DELETE_SETS = 256;
/** Shutdown waits at most this long for the last versions. */
export const HISTORY_SHUTDOWN_TIMEOUT_MS = 5_000;

export interface HistoryTiming {
  idleMs: number;
  maxSpanMs: number;
}

/** Per loaded room: what happened since the last version. */
interface RoomHistory {
  /** When the burst of edits ends, and whether there are edits not yet in a version. */
  burst: BurstTimer;
  /** By author id: the author and the client ids their edits used. */
  authors: Map<string, { author: Omit<VersionAuthor, "clientIds">; clientIds: Set<number> }>;
  /** Delete sets of every transaction since `lastVersionId` was made (or since the load). */
  deletions: DeleteSet[];
  /** The version this room made last: `deletions` holds every deletion since it. */
  lastVersionId: string | null;
}

/** What a version took from a room's history, given back if it could not be stored. */
type Taken = Pick<RoomHistory, "authors" | "deletions"> & { firstChangeAt: number };

export class VersionRecorder implements RoomObserver {
  private readonly rooms = new Map<Room, RoomHistory>();
  /** Per document, versions being made: one at a time. */
  private readonly making = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(
    readonly store: VersionStore,
    private readonly log: Logger,
    private readonly timing: HistoryTiming = { idleMs: VERSION_IDLE_MS, maxSpanMs: VERSION_MAX_SPAN_MS },
  ) {}

  loaded(room: Room): void {
    this.stateOf(room);
  }

  changed(room: Room, origin: unknown, transaction: Y.Transaction): void {
    const state = this.stateOf(room);
    if (transaction.deleteSet.clients.size > 0) {
      state.deletions.push(transaction.deleteSet);
      if (state.deletions.length > MAX_HELD_DELETE_SETS) state.deletions = [mergeDeletions(state.deletions)];
    }
    const author = authorOf(origin);
    if (author === undefined) return; // relayed from another instance, or the server's own bookkeeping
    if (author) {
      let entry = state.authors.get(author.id);
      if (!entry) state.authors.set(author.id, (entry = { author, clientIds: new Set() }));
      for (const [client, clock] of transaction.afterState) {
        if ((transaction.beforeState.get(client) ?? 0) !== clock) entry.clientIds.add(client);
      }
    }
    state.burst.changed();
  }

  compacted(): void {}

  async unloading(room: Room): Promise<void> {
    const state = this.rooms.get(room);
    if (!state) return;
    state.burst.cancel();
    try {
      if (state.burst.pending) await this.makeVersion(room, "auto", null);
    } catch (error) {
      this.log.warn("could not make a version as the document unloaded", { documentId: room.documentId, error: String(error) });
    } finally {
      this.rooms.delete(room);
    }
  }

  /**
   * Makes a version of the room's document now. An automatic one is skipped (null) when nothing
   * changed since the latest version; a named one or a restore's is always made. Throws storage
   * errors (the edits then count towards the next version).
   */
  makeVersion(room: Room, kind: VersionKind, name: string | null): Promise<VersionSummary | null> {
    const documentId = room.documentId;
    const previous = this.making.get(documentId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.make(room, kind, name));
    this.making.set(documentId, next);
    void next.catch(() => undefined).finally(() => {
      if (this.making.get(documentId) === next) this.making.delete(documentId);
    });
    return next;
  }

  /** The authors of the edits not yet in a version (a diff against the live document colours them). */
  pendingAuthors(documentId: string): VersionAuthor[] {
    for (const [room, state] of this.rooms) {
      if (room.documentId === documentId) return authorsOf(state.authors);
    }
    return [];
  }

  /** Whether the document has edits not yet in a version (on this instance). */
  hasPendingEdits(documentId: string): boolean {
    for (const [room, state] of this.rooms) if (room.documentId === documentId && state.burst.pending) return true;
    return false;
  }

  /** Shutdown, after the collab server closed: versions of the rooms still changed, waited
   *  for at most `timeoutMs`; nothing more is scheduled. */
  async close(timeoutMs = HISTORY_SHUTDOWN_TIMEOUT_MS): Promise<void> {
    this.closed = true;
    const last: Promise<unknown>[] = [];
    for (const [room, state] of this.rooms) {
      state.burst.stop();
      if (state.burst.pending) last.push(this.makeVersion(room, "auto", null).catch((error: unknown) => this.log.warn("shutdown: version not made", { documentId: room.documentId, error: String(error) })));
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(last), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]).finally(() => clearTimeout(timer));
  }

  private async make(room: Room, kind: VersionKind, name: string | null): Promise<VersionSummary | null> {
    // The documents row must exist (a room opened over a socket creates it with its first write).
    await room.writer.flush();
    const state = this.stateOf(room);
    const held: { taken: Taken | null } = { taken: null };
    try {
      const version = await this.store.append(room.documentId, (tip) => {
        const made = this.encode(room, state, tip, kind, name);
        if (made) held.taken = this.take(state);
        return made;
      });
      if (version) state.lastVersionId = version.id;
      return version;
    } catch (error) {
      if (held.taken) this.giveBack(state, held.taken);
      throw error;
    }
  }

  /** The version of the room's document now, against the chain's tip (synchronous: nothing can
   *  change the document between reading it and taking the room's history). */
  private encode(room: Room, state: RoomHistory, tip: ChainTip | null, kind: VersionKind, name: string | null): NewVersion | null {
    const authors = authorsOf(state.authors);
    if (!room.isBuilt) {
      // Nothing was applied since the load: the stored bytes are the document.
      const whole = room.encodeState();
      const stateVector = Y.encodeStateVectorFromUpdate(whole);
      if (kind === "auto" && tip && equalBytes(tip.stateVector, stateVector)) return null;
      const keyframe = !tip || tip.deltaCount >= MAX_CHAIN_DELTAS;
      return { kind, name, authors, keyframe, data: keyframe || !tip ? whole : Y.diffUpdate(whole, tip.stateVector), stateVector };
    }
    const doc = room.doc;
    const stateVector = Y.encodeStateVector(doc);
    if (kind === "auto" && tip && equalBytes(tip.stateVector, stateVector) && state.deletions.length === 0) return null;
    if (tip) {
      const newDeletions = state.lastVersionId === tip.id ? mergeDeletions(state.deletions) : null;
      const delta = deltaOf(doc, tip.stateVector, newDeletions);
      const chainFull = tip.deltaCount >= MAX_CHAIN_DELTAS || tip.deltaBytes + delta.length > tip.keyframeBytes * KEYFRAME_CHAIN_RATIO;
      if (!chainFull) return { kind, name, authors, keyframe: false, data: delta, stateVector };
    }
    return { kind, name, authors, keyframe: true, data: keyframeOf(doc), stateVector };
  }

  private take(state: RoomHistory): Taken {
    const taken: Taken = { authors: state.authors, deletions: state.deletions, firstChangeAt: state.burst.take() };
    state.authors = new Map();
    state.deletions = [];
    return taken;
  }

  private giveBack(state: RoomHistory, taken: Taken): void {
    for (const [id, entry] of taken.authors) {
      const current = state.authors.get(id);
      if (current) for (const client of entry.clientIds) current.clientIds.add(client);
      else state.authors.set(id, entry);
    }
    state.deletions = [...taken.deletions, ...state.deletions];
    state.burst.giveBack(taken.firstChangeAt);
  }

  private stateOf(room: Room): RoomHistory {
    let state = this.rooms.get(room);
    if (!state) {
      const created: RoomHistory = { burst: new BurstTimer(this.timing, () => this.burstEnded(room, created)), authors: new Map(), deletions: [], lastVersionId: null };
      this.rooms.set(room, (state = created));
    }
    return state;
  }

  private burstEnded(room: Room, state: RoomHistory): void {
    if (this.rooms.get(room) !== state || this.closed) return;
    if (room.holders === 0) return; // unloading: unloading() makes the version
    this.makeVersion(room, "auto", null).catch((error: unknown) =>
      this.log.warn("could not make a version; the edits go into the next one", { documentId: room.documentId, error: String(error) }),
    );
  }
}

/** Who made a change: an author, null for an edit by nobody known (a link's guest through the
 *  API), undefined for a change that is nobody's edit (relayed, or the server's own seeding). */
function authorOf(origin: unknown): Omit<VersionAuthor, "clientIds"> | null | undefined {
  if (origin instanceof Connection) {
    const { identity, accountId } = origin.grant;
    return { id: accountId ?? identity?.id ?? origin.id, name: identity?.name ?? null, color: identity?.color ?? null, accountId: accountId ?? null };
  }
  if (origin instanceof ServerEdit) {
    if (origin.source === "title-seed") return undefined;
    return origin.accountId ? { id: origin.accountId, name: null, color: null, accountId: origin.accountId } : null;
  }
  return undefined;
}

function authorsOf(authors: RoomHistory["authors"]): VersionAuthor[] {
  return [...authors.values()].map(({ author, clientIds }) => ({ ...author, clientIds: [...clientIds] }));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
