// The start-up pass that projects documents never projected (projected_at null): those made
// before projections existed, and those created or imported and never opened since. In the
// background, off every request's path: a few documents at a time, one after the other, with a
// pause between batches, so a large backlog costs the serving process little at any moment.
import * as Y from "yjs";
import type { Rooms } from "../collab/Rooms.ts";
import type { DocumentStorage } from "../collab/storage/DocumentStorage.ts";
import type { Logger } from "../log.ts";
import { hasTitleText } from "../../lib/editor/documentTitleText.ts";
import type { DocumentProjection } from "./DocumentProjection.ts";
import { projectionOf, type DocumentProjectionStore, type ProjectionRow } from "./DocumentProjectionStore.ts";
import { titleToSeed } from "./DocumentProjectionSeed.ts";

/** Wait after start-up before the pass begins, so it never competes with start-up itself. */
export const BACKFILL_START_DELAY_MS = 1_000;
/** Documents read per query. */
export const BACKFILL_BATCH_SIZE = 20;
/** Pause between batches. */
export const BACKFILL_PAUSE_MS = 200;
/** After a failed batch query (database down), wait this long and try again. */
export const BACKFILL_RETRY_MS = 5_000;
/** Shutdown waits at most this long for the document in progress. */
export const BACKFILL_STOP_TIMEOUT_MS = 5_000;

export interface BackfillTiming {
  startDelayMs: number;
  pauseMs: number;
}

export class DocumentProjectionBackfill {
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Resolves when the pass is over (done, or stopped). */
  readonly done: Promise<void>;
  /** Documents projected by this pass. */
  projected = 0;

  constructor(
    private readonly store: DocumentProjectionStore,
    private readonly storage: DocumentStorage,
    private readonly rooms: Rooms,
    private readonly projection: DocumentProjection,
    private readonly log: Logger,
    private readonly timing: BackfillTiming = { startDelayMs: BACKFILL_START_DELAY_MS, pauseMs: BACKFILL_PAUSE_MS },
  ) {
    this.done = this.run();
  }

  /** Stops after the document in progress (shutdown), waiting for it at most `timeoutMs`: a
   *  database that stopped answering must not hold up SIGTERM. */
  async stop(timeoutMs = BACKFILL_STOP_TIMEOUT_MS): Promise<void> {
    this.stopped = true;
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.done, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]).finally(() => clearTimeout(timer));
  }

  private async run(): Promise<void> {
    await this.sleep(this.timing.startDelayMs);
    let afterId = "";
    let failed = 0;
    while (!this.stopped) {
      let batch: ProjectionRow[];
      try {
        batch = await this.store.unprojected(afterId, BACKFILL_BATCH_SIZE);
      } catch (error) {
        this.log.warn("projection backfill: could not list documents; retrying", { error: String(error) });
        await this.sleep(BACKFILL_RETRY_MS);
        continue;
      }
      if (batch.length === 0) break;
      for (const row of batch) {
        if (this.stopped) return;
        try {
          await this.projectOne(row);
          this.projected++;
        } catch (error) {
          // Left for the next start-up; one broken document must not stop the others.
          failed++;
          this.log.warn("projection backfill: document skipped", { documentId: row.id, error: String(error) });
        }
        afterId = row.id;
      }
      await this.sleep(this.timing.pauseMs);
    }
    if (this.projected > 0 || failed > 0) this.log.info("projection backfill done", { projected: this.projected, failed });
  }

  private async projectOne(row: ProjectionRow): Promise<void> {
    // Open here: its room projects it from the live document (and has seeded its title).
    const live = this.rooms.peek(row.id);
    if (live) return this.projection.projectNow(live);
    const state = await this.storage.load(row.id);
    const doc = new Y.Doc();
    try {
      if (state) Y.applyUpdate(doc, state);
      if (titleToSeed(row) !== null && !hasTitleText(doc)) {
        // Its title must go into the Y.Doc first: that is a change to the document, made
        // through its room like any other (stored, and sent to whoever has it open elsewhere).
        const room = await this.rooms.acquire(row.id);
        try {
          await this.projection.projectNow(room);
        } finally {
          this.rooms.release(room);
        }
        return;
      }
      // Read-only: straight from what is stored. Never over a projection a live room made
      // meanwhile (on any instance), which would be newer than this.
      await this.store.write(row.id, projectionOf(doc), { onlyIfUnprojected: true });
    } finally {
      doc.destroy();
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
