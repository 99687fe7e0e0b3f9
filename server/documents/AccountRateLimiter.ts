// Per account: how fast it may create something (documents, share links). A token bucket per
// account, in memory: a burst is allowed, then a steady rate. Accounts whose bucket has
// refilled are forgotten, so memory stays bounded by the accounts active in the last minutes.
//
// The limit is per process: behind a load balancer with N instances an account can reach N
// times the rate. That still bounds a script's damage, which is the point; an exact
// cluster-wide limit would need Redis, which is optional here.
import { TokenBucket } from "../collab/TokenBucket.ts";

/** A creation limit: `burst` at once, then `perMinute` steadily. */
export interface RateLimit {
  burst: number;
  perMinute: number;
}

/** Outcome of one attempt: allowed, or refused with how long to wait. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Buckets kept before idle (full) ones are swept. */
const SWEEP_AT_ACCOUNTS = 1_000;

export class AccountRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Spends one token of `accountId`'s bucket; refused (nothing spent) when it is empty. */
  take(accountId: string): RateDecision {
    let bucket = this.buckets.get(accountId);
    if (!bucket) {
      this.sweep();
      bucket = new TokenBucket(this.limit.perMinute / 60, this.limit.burst, this.now);
      this.buckets.set(accountId, bucket);
    }
    if (bucket.take()) return { ok: true };
    // Whole seconds for Retry-After, never 0: a client retrying at once would be refused again.
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(bucket.msUntil() / 1000)) };
  }

  /** Forgets accounts whose bucket is full again: a new bucket would be identical. */
  private sweep(): void {
    if (this.buckets.size < SWEEP_AT_ACCOUNTS) return;
    for (const [accountId, bucket] of this.buckets) {
      if (bucket.msUntil(this.limit.burst) === 0) this.buckets.delete(accountId);
    }
  }
}
