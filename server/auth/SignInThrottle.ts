// Sign-in and sign-up attempts, limited per client address and per account (email), so a
// password cannot be guessed quickly from one address, nor from many against one account.
// Kept in memory per instance: N instances allow N times the rate, which still bounds guessing.
import { TokenBucket } from "../collab/TokenBucket.ts";

export interface ThrottleLimits {
  /** Attempts an address may make in a burst, refilled at `perAddressPerMinute`. */
  perAddressBurst: number;
  perAddressPerMinute: number;
  /** Attempts against one account in a burst, refilled at `perAccountPerMinute`. */
  perAccountBurst: number;
  perAccountPerMinute: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  perAddressBurst: 20,
  perAddressPerMinute: 10,
  perAccountBurst: 5,
  perAccountPerMinute: 2,
};

/** Buckets idle this long are full again and are forgotten, so memory stays bounded. */
const FORGET_AFTER_MS = 30 * 60_000;

export class SignInThrottle {
  private readonly byAddress = new Map<string, { bucket: TokenBucket; usedAt: number }>();
  private readonly byAccount = new Map<string, { bucket: TokenBucket; usedAt: number }>();

  constructor(private readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS) {}

  /** Counts one attempt; returns seconds to wait when over a limit, or 0 when allowed. */
  attempt(address: string, account: string | null): number {
    this.forgetIdle();
    const addressBucket = this.bucket(this.byAddress, address, this.limits.perAddressBurst, this.limits.perAddressPerMinute);
    if (!addressBucket.take()) return Math.ceil(addressBucket.msUntil() / 1000);
    if (account !== null) {
      const key = account.trim().toLowerCase();
      const accountBucket = this.bucket(this.byAccount, key, this.limits.perAccountBurst, this.limits.perAccountPerMinute);
      if (!accountBucket.take()) return Math.ceil(accountBucket.msUntil() / 1000);
    }
    return 0;
  }

  private bucket(
    map: Map<string, { bucket: TokenBucket; usedAt: number }>,
    key: string,
    burst: number,
    perMinute: number,
  ): TokenBucket {
    let entry = map.get(key);
    if (!entry) {
      entry = { bucket: new TokenBucket(perMinute / 60, burst), usedAt: 0 };
      map.set(key, entry);
    }
    entry.usedAt = Date.now();
    return entry.bucket;
  }

  private lastSweep = Date.now();
  private forgetIdle(): void {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const map of [this.byAddress, this.byAccount]) {
      for (const [key, entry] of map) if (now - entry.usedAt > FORGET_AFTER_MS) map.delete(key);
    }
  }
}
