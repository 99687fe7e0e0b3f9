// One connection's awareness rate (limits.awarenessPerSecond). Within it an update is applied
// at once; above it only the latest is kept and applied when the budget allows, so a client
// moving its cursor in a tight loop costs everyone else a bounded number of frames per second.
import { TokenBucket } from "./TokenBucket.ts";

export class AwarenessThrottle {
  private readonly budget: TokenBucket;
  /** The latest update held back, applied when the budget allows. */
  private held: Uint8Array | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    perSecond: number,
    /** Applies an update; may throw (a bad update), which offer() passes on to its caller. */
    private readonly apply: (update: Uint8Array) => void,
    /** What a held update's apply threw: it runs from a timer, outside the frame dispatch. */
    private readonly onHeldError: (error: unknown) => void,
  ) {
    this.budget = new TokenBucket(perSecond, perSecond);
  }

  offer(update: Uint8Array): void {
    if (this.stopped) return;
    if (this.timer === null && this.budget.take()) {
      this.apply(update);
      return;
    }
    this.held = update;
    if (this.timer === null) this.schedule();
  }

  /** The connection left: nothing held is applied any more. */
  stop(): void {
    this.stopped = true;
    this.held = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer = setTimeout(this.release, Math.max(1, this.budget.msUntil()));
  }

  private readonly release = (): void => {
    this.timer = null;
    const held = this.held;
    this.held = null;
    if (!held || this.stopped) return;
    if (!this.budget.take()) {
      this.held = held;
      this.schedule();
      return;
    }
    try {
      this.apply(held);
    } catch (error) {
      this.onHeldError(error);
    }
  };
}
