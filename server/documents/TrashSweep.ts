// The periodic purge of Trash in the server process: documents trashed more than
// TRASH_RETENTION_DAYS ago are deleted forever. Every instance runs one; the purge is a single
// idempotent DELETE, so several instances sweeping together are harmless.
import type { PrismaClient } from "../db/Database.ts";
import type { Logger } from "../log.ts";
import { purgeExpiredTrash } from "./documentTrash.ts";

/** How often Trash is swept. Retention is counted in days: an hour late is well within it. */
export const TRASH_SWEEP_INTERVAL_MS = 60 * 60_000;
/** The first sweep after start-up, once the server is serving (not in its start-up path). */
export const TRASH_FIRST_SWEEP_DELAY_MS = 30_000;

export class TrashSweep {
  private readonly firstTimer: NodeJS.Timeout;
  private readonly interval: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly retentionDays: number,
    private readonly log: Logger,
  ) {
    this.firstTimer = setTimeout(() => void this.sweep(), TRASH_FIRST_SWEEP_DELAY_MS);
    this.interval = setInterval(() => void this.sweep(), TRASH_SWEEP_INTERVAL_MS);
    this.firstTimer.unref();
    this.interval.unref();
  }

  /** One sweep (also for tests); a sweep already running is awaited, not doubled. A failure
   *  (database down) is logged and retried at the next interval. */
  sweep(now = new Date()): Promise<void> {
    this.running ??= (async () => {
      try {
        const purged = await purgeExpiredTrash(this.prisma, this.retentionDays, now);
        if (purged > 0) this.log.info("trash purged", { documents: purged, retentionDays: this.retentionDays });
      } catch (error) {
        this.log.warn("trash sweep failed; retrying at the next interval", { error: String(error) });
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    clearTimeout(this.firstTimer);
    clearInterval(this.interval);
    await this.running;
  }
}
