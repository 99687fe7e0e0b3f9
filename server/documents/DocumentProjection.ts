// Mirrors each loaded document into its documents row (title, content_text, projected_at,
// last_editor_id) for lists and search. Debounced: a room is projected PROJECTION_DEBOUNCE_MS
// after its last update (at the latest PROJECTION_MAX_DELAY_MS after its first unprojected
// one), and at once when its log is compacted, when it unloads and at shutdown. Never in the
// per-update path: an update only marks its room as changed, and the projection's database
// write is not the update log's, so it never delays a durable-save ack.
//
// Every instance projects the rooms it holds; the writes are idempotent (the same converged
// document gives the same row). Also seeds the live title of documents made before it lived
// in the Y.Doc (DocumentProjectionSeed.ts) when they are first loaded.
import type { Room } from "../collab/Room.ts";
import { ServerEdit } from "../collab/ServerEdit.ts";
import { BurstTimer } from "../collab/BurstTimer.ts";
import { Connection } from "../collab/Connection.ts";
import type { RoomObserver } from "../collab/RoomObserver.ts";
import type { Logger } from "../log.ts";
import { hasTitleText } from "../../lib/editor/documentTitleText.ts";
import { projectionOf, type DocumentProjectionStore, type Projection } from "./DocumentProjectionStore.ts";
import { TITLE_SEED_ORIGIN, titleSeedUpdate, titleToSeed } from "./DocumentProjectionSeed.ts";

/** Quiet time after a room's last update before it is projected. */
export const PROJECTION_DEBOUNCE_MS = 2_000;
/** Longest a changed room goes unprojected while updates keep coming (someone typing for minutes). */
export const PROJECTION_MAX_DELAY_MS = 30_000;
/** Attempts at one projection write before it is given up (logged; the next change retries). */
export const PROJECTION_WRITE_ATTEMPTS = 4;
/** Wait before the first retry of a failed write; doubles after each further failure. */
export const PROJECTION_RETRY_BASE_MS = 500;
/** Shutdown waits at most this long for the last projections: a database that stopped answering
 *  must not hold up SIGTERM (the rows are caught up at the next change or start-up). */
export const PROJECTION_SHUTDOWN_TIMEOUT_MS = 5_000;

export interface ProjectionTiming {
  debounceMs: number;
  maxDelayMs: number;
}

/** Per loaded room: whether it changed since its last projection, and by whom. */
interface RoomState {
  /** When the burst of changes ends, and whether there are changes not yet projected. */
  burst: BurstTimer;
  /** The account whose update came last since the last projection (guests change nothing). */
  lastEditorId: string | null;
  /** The title seed check started at load; projections wait for it, so a projection never
   *  reads an old document's title text before its seed is in. */
  seeding: Promise<void>;
}

export class DocumentProjection implements RoomObserver {
  private readonly states = new Map<Room, RoomState>();
  /** Per document, the chain of its writes: they land in the order they were taken. */
  private readonly writes = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly store: DocumentProjectionStore,
    private readonly log: Logger,
    private readonly timing: ProjectionTiming = { debounceMs: PROJECTION_DEBOUNCE_MS, maxDelayMs: PROJECTION_MAX_DELAY_MS },
  ) {}

  loaded(room: Room): void {
    this.stateOf(room).seeding = this.seedTitle(room);
  }

  changed(room: Room, origin: unknown): void {
    const state = this.stateOf(room);
    const editorId = origin instanceof Connection ? origin.grant.accountId : origin instanceof ServerEdit ? origin.accountId : null;
    if (editorId) state.lastEditorId = editorId;
    state.burst.changed();
  }

  compacted(room: Room): void {
    const state = this.states.get(room);
    if (state?.burst.pending && room.holders > 0) void this.projectRoom(room, state);
  }

  async unloading(room: Room): Promise<void> {
    const state = this.states.get(room);
    if (!state) return;
    state.burst.cancel();
    await state.seeding;
    // The write is not awaited: the room's final flush of its updates (durability) must not
    // wait for the row. The projection is taken now, while the document is still there.
    if (state.burst.pending) void this.takeAndWrite(room, state);
    this.states.delete(room);
  }

  /** Projects `room` now, changed or not, and resolves once written (the backfill, tests). */
  async projectNow(room: Room): Promise<void> {
    const state = this.stateOf(room);
    await state.seeding;
    state.burst.changed();
    await this.projectRoom(room, state);
  }

  /** Shutdown, after the collab server closed: projects every room still changed, waits for
   *  every write in flight (at most `timeoutMs`), and schedules nothing more. */
  async close(timeoutMs = PROJECTION_SHUTDOWN_TIMEOUT_MS): Promise<void> {
    this.closed = true;
    const last: Promise<void>[] = [];
    for (const [room, state] of this.states) {
      state.burst.stop();
      if (state.burst.pending) last.push(this.projectRoom(room, state));
    }
    const settled = (async () => {
      await Promise.all(last);
      while (this.writes.size > 0) await Promise.all(this.writes.values());
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      settled.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    if (timedOut) this.log.warn("shutdown: document projections not written (database not answering)", { documents: this.writes.size, timeoutMs });
  }

  private stateOf(room: Room): RoomState {
    let state = this.states.get(room);
    if (!state) {
      const timing = { idleMs: this.timing.debounceMs, maxSpanMs: this.timing.maxDelayMs };
      const created: RoomState = { burst: new BurstTimer(timing, () => this.burstEnded(room, created)), lastEditorId: null, seeding: Promise.resolve() };
      this.states.set(room, (state = created));
    }
    return state;
  }

  private burstEnded(room: Room, state: RoomState): void {
    if (this.states.get(room) !== state || this.closed) return;
    // Nobody holds it: it is unloading, and unloading() takes its projection.
    if (room.holders === 0) return;
    void this.projectRoom(room, state);
  }

  private async projectRoom(room: Room, state: RoomState): Promise<void> {
    state.burst.cancel();
    await state.seeding;
    if (!state.burst.pending || this.states.get(room) !== state) return;
    await this.takeAndWrite(room, state);
  }

  /** Reads the projection off the document now (synchronously) and queues its write. */
  private takeAndWrite(room: Room, state: RoomState): Promise<void> {
    let projection: Projection;
    try {
      projection = projectionOf(room.doc);
    } catch (error) {
      this.log.error("could not project a document", { documentId: room.documentId, error: String(error) });
      return Promise.resolve();
    }
    const lastEditorId = state.lastEditorId;
    state.burst.take();
    state.lastEditorId = null;
    return this.queueWrite(room.documentId, projection, lastEditorId);
  }

  private queueWrite(documentId: string, projection: Projection, lastEditorId: string | null): Promise<void> {
    const previous = this.writes.get(documentId) ?? Promise.resolve();
    const next = previous.then(() => this.writeWithRetry(documentId, projection, lastEditorId));
    this.writes.set(documentId, next);
    void next.finally(() => {
      if (this.writes.get(documentId) === next) this.writes.delete(documentId);
    });
    return next;
  }

  /** Never rejects: a database outage delays the row, it must not reach the collab server. */
  private async writeWithRetry(documentId: string, projection: Projection, lastEditorId: string | null): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.write(documentId, projection, { lastEditorId });
        return;
      } catch (error) {
        if (attempt >= PROJECTION_WRITE_ATTEMPTS || this.closed) {
          this.log.warn("document projection not written; the next change retries", { documentId, attempt, error: String(error) });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, PROJECTION_RETRY_BASE_MS * 2 ** (attempt - 1)).unref());
      }
    }
  }

  /**
   * A document never projected, whose row has a real title and whose Y.Doc has no title text,
   * is from before the title lived in the Y.Doc: its title goes in, as a server update. Checked
   * against the row first, so only such documents are built here (others stay unbuilt until
   * edited). A failure is logged: the row keeps its title (a projection never overwrites it
   * from a Y.Doc without title text) and the next load tries again.
   */
  private async seedTitle(room: Room): Promise<void> {
    try {
      const title = titleToSeed(await this.store.row(room.documentId));
      if (title === null || hasTitleText(room.doc)) return;
      room.applyServerUpdate(titleSeedUpdate(title), TITLE_SEED_ORIGIN);
    } catch (error) {
      this.log.warn("could not seed a document's title into its Y.Doc", { documentId: room.documentId, error: String(error) });
    }
  }
}
