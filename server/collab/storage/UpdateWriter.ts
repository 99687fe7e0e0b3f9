// Group commit for one document: updates that arrive while a write is pending are merged
// with Y.mergeUpdates and written as one row. Writes are serialised per document, and a
// failed write is retried with capped exponential backoff, keeping the backlog in memory,
// so a database outage delays durability but loses nothing.

import { metrics } from "../../metrics/metrics.ts";
import * as Y from "yjs";
import type { DocumentStorage } from "./DocumentStorage.ts";

/** How long to wait for more updates before writing, to merge bursts of typing. */
export const GROUP_COMMIT_DELAY_MS = 5;
/** First retry delay after a failed write; doubles up to RETRY_MAX_DELAY_MS. */
export const RETRY_BASE_DELAY_MS = 100;
export const RETRY_MAX_DELAY_MS = 5_000;
/** Compaction attempts when a room unloads before giving up (the log stays complete). */
export const UNLOAD_COMPACT_ATTEMPTS = 3;
/** Offer compaction (the storage decides whether it pays off) after this many appends. */
export const COMPACT_AFTER_APPENDS = 100;

export interface UpdateWriterEvents<Mark> {
  /** A write failed and will be retried. */
  onWriteError?(error: unknown, attempt: number): void;
  /**
   * Called synchronously when a batch is taken from the queue: the returned mark describes
   * the document state the batch brings to disk (e.g. its state vector at that instant).
   */
  markBatch?(): Mark;
  /** A batch committed: everything up to `mark` is durable. */
  onCommitted?(mark: Mark): void;
  /** The queue is empty and nothing is being written. */
  onIdle?(): void;
  /** The log was compacted into a snapshot. */
  onCompacted?(): void;
}

export class UpdateWriter<Mark = void> {
  private queue: Uint8Array[] = [];
  private draining: Promise<void> | null = null;
  private appendsSinceCompaction = 0;
  private stopped = false;
  /** When the oldest update still queued arrived: its sender waits that long for the ack. */
  private oldestQueuedAt = 0;
  /** Ends the wait between retries at once when stop() is called. */
  private wakeRetry: (() => void) | null = null;

  constructor(
    private readonly storage: DocumentStorage,
    private readonly documentId: string,
    private readonly events: UpdateWriterEvents<Mark> = {},
  ) {}

  /** Queues an update for the log; it is durable once `flush()` resolves. */
  enqueue(update: Uint8Array): void {
    if (this.queue.length === 0) this.oldestQueuedAt = performance.now();
    this.queue.push(update);
    if (!this.draining) this.draining = this.drain();
  }

  /** True when nothing is queued or being written. */
  get idle(): boolean {
    return this.queue.length === 0 && this.draining === null;
  }

  /** Updates waiting to be written (a merged batch that failed counts as one). */
  get pendingUpdates(): number {
    return this.queue.length;
  }

  /** Resolves when everything enqueued before the call (and since) is committed. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Flushes, then compacts the log into a snapshot (used when a room unloads). */
  async flushAndCompact(): Promise<void> {
    await this.flush();
    if (this.appendsSinceCompaction === 0 || this.stopped) return;
    // Compaction is an optimisation (the log alone loads the document), so a failing one
    // must not hold up an unload or a shutdown: a few attempts, then leave it to next time.
    for (let attempt = 1; attempt <= UNLOAD_COMPACT_ATTEMPTS; attempt++) {
      try {
        await this.storage.compact(this.documentId);
        this.appendsSinceCompaction = 0;
        this.events.onCompacted?.();
        return;
      } catch (error) {
        this.events.onWriteError?.(error, attempt);
        if (attempt < UNLOAD_COMPACT_ATTEMPTS) await delay(RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
      }
    }
  }

  /** Gives up retrying (process exit): a write in progress is abandoned at its next failure,
   *  a wait between retries ends at once, and whatever is still queued stays unwritten. */
  stop(): void {
    this.stopped = true;
    this.wakeRetry?.();
  }

  private async drain(): Promise<void> {
    try {
      await delay(GROUP_COMMIT_DELAY_MS);
      while (this.queue.length > 0 && !this.stopped) {
        const batch = this.queue;
        const queuedAt = this.oldestQueuedAt;
        this.queue = [];
        const mark = this.events.markBatch?.() as Mark;
        const rows = mergeBatch(batch);
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i];
          const started = performance.now();
          const ok = await this.withRetry(() => this.storage.append(this.documentId, row));
          metrics.persistSeconds.observe((performance.now() - started) / 1000);
          if (!ok) {
            this.queue.unshift(...rows.slice(i));
            return;
          }
          this.appendsSinceCompaction++;
        }
        this.events.onCommitted?.(mark);
        metrics.ackSeconds.observe((performance.now() - queuedAt) / 1000);
        if (this.appendsSinceCompaction >= COMPACT_AFTER_APPENDS) {
          // Compaction is only an optimisation: a failure leaves the log intact.
          try {
            await this.storage.compact(this.documentId);
            this.appendsSinceCompaction = 0;
            this.events.onCompacted?.();
          } catch (error) {
            this.events.onWriteError?.(error, 0);
          }
        }
      }
    } finally {
      this.draining = null;
    }
    if (this.queue.length > 0 && !this.stopped) this.draining = this.drain();
    else if (this.queue.length === 0) this.events.onIdle?.();
  }

  /** Runs `write` until it succeeds; false only when stopped before success. */
  private async withRetry(write: () => Promise<void>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return true;
      } catch (error) {
        if (this.stopped) return false;
        this.events.onWriteError?.(error, attempt);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** (attempt - 1)));
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeRetry = null;
        if (this.stopped) return false;
      }
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Updates merged by one Y.mergeUpdates call; larger batches are merged as a tree of these. */
export const MERGE_FAN_IN = 16;

/** The rows to write for a batch: one merged update, or the parts when Yjs cannot merge them
 *  (never throws: a failure here must not stop the writer). */
function mergeBatch(batch: Uint8Array[]): Uint8Array[] {
  if (batch.length === 1) return batch;
  try {
    return [mergeAsTree(batch)];
  } catch {
    return batch;
  }
}

/**
 * Y.mergeUpdates re-sorts all of its inputs for every struct it writes, so one call over n
 * updates costs about n² log n: a hot document's batch (hundreds of keystrokes that arrived
 * during one write) took most of the server's CPU there. Merging at most MERGE_FAN_IN at a
 * time, then merging the results, gives the same document for n log n.
 */
function mergeAsTree(updates: Uint8Array[]): Uint8Array {
  let level = updates;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += MERGE_FAN_IN) {
      const group = level.slice(i, i + MERGE_FAN_IN);
      next.push(group.length === 1 ? group[0] : Y.mergeUpdates(group));
    }
    level = next;
  }
  return level[0];
}
