// When a burst of changes to a room ends: `idleMs` after its last change, or `maxSpanMs` after
// its first while changes keep coming. Room observers that work per burst rather than per
// update (the documents row's projection, version history) each keep one per room.
//
// One timer per burst, re-armed for the rest of the quiet time when it fires early, rather than
// reset at every change: that would cost a clearTimeout and a setTimeout per keystroke.

export interface BurstTiming {
  idleMs: number;
  maxSpanMs: number;
}

export class BurstTimer {
  /** Changes were made since the burst was last taken. */
  private pendingChanges = false;
  private firstChangeAt = 0;
  private lastChangeAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly timing: BurstTiming,
    /** The burst ended (its changes are still pending until take()). */
    private readonly onEnd: () => void,
  ) {}

  /** Whether changes were made since the burst was last taken. */
  get pending(): boolean {
    return this.pendingChanges;
  }

  /** A change: starts a burst, or extends the one going on. */
  changed(now = Date.now()): void {
    if (!this.pendingChanges) {
      this.pendingChanges = true;
      this.firstChangeAt = now;
    }
    this.lastChangeAt = now;
    this.arm(this.timing.idleMs);
  }

  /** The burst's changes are being dealt with (written, versioned): nothing pending, no timer.
   *  Returns when the burst began, for giveBack(). */
  take(): number {
    this.pendingChanges = false;
    this.cancel();
    return this.firstChangeAt;
  }

  /** Dealing with a taken burst failed: its changes are pending again, as from `firstChangeAt`. */
  giveBack(firstChangeAt: number): void {
    if (!this.pendingChanges) {
      this.pendingChanges = true;
      this.firstChangeAt = firstChangeAt;
      this.lastChangeAt = Date.now();
    }
    this.arm(this.timing.idleMs);
  }

  /** No timer until the next change (the room unloads; pending changes stay pending). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** No timer ever again (shutdown). */
  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private arm(delayMs: number): void {
    if (this.timer !== null || this.stopped) return;
    this.timer = setTimeout(this.fire, delayMs);
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = null;
    if (!this.pendingChanges || this.stopped) return;
    const now = Date.now();
    const quietFor = now - this.lastChangeAt;
    const spanned = now - this.firstChangeAt;
    if (quietFor < this.timing.idleMs && spanned < this.timing.maxSpanMs) {
      this.arm(Math.min(this.timing.idleMs - quietFor, this.timing.maxSpanMs - spanned));
      return;
    }
    this.onEnd();
  };
}
