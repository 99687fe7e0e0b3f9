// A token bucket: `ratePerSecond` tokens refill continuously up to `capacity`; taking more
// than is there fails. Lazily refilled on use, so an idle connection costs no timer.

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.refilledAt = now();
  }

  /** Takes `amount` tokens if available; false (and nothing taken) otherwise. */
  take(amount = 1): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.ratePerSecond);
    this.refilledAt = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }

  /** Milliseconds until `amount` tokens will be available. */
  msUntil(amount = 1): number {
    this.take(0);
    return this.tokens >= amount ? 0 : ((amount - this.tokens) / this.ratePerSecond) * 1000;
  }
}
