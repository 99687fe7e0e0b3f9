// Where the sign-in throttle (SignInThrottle.ts) and the password-reset limits
// (PasswordResetThrottle.ts) keep their counts: in this process's memory, or in Redis when
// REDIS_URL is set, so that every instance counts the same attempts and N instances do not
// allow N times the rate.
import { TokenBucket } from "../collab/TokenBucket.ts";

/** Entries idle this long are forgotten (buckets are full again, failures long past). */
export const FORGET_AFTER_MS = 30 * 60_000;
/** Usual addresses remembered per account; the oldest is dropped beyond this. */
export const MAX_USUAL_ADDRESSES = 20;

export interface ThrottleStore {
  /** Takes one attempt from the bucket `key` (`burst` attempts, refilled at `perMinute`):
   *  0 when taken, otherwise the milliseconds until one will be there. */
  take(key: string, burst: number, perMinute: number): Promise<number>;
  /** Counts one event under `key` if fewer than `max` were counted in the last `windowMs`;
   *  false (nothing counted) otherwise. */
  admitInWindow(key: string, max: number, windowMs: number): Promise<boolean>;
  /** Until when (epoch ms) addresses that are not usual for `account` must wait; 0: no back-off. */
  backoffUntil(account: string): Promise<number>;
  /** Counts a failed sign-in to `account`; returns the failures counted so far. */
  countFailure(account: string): Promise<number>;
  setBackoffUntil(account: string, until: number): Promise<void>;
  isUsualAddress(account: string, address: string): Promise<boolean>;
  addUsualAddress(account: string, address: string): Promise<void>;
}

interface AccountState {
  failures: number;
  backoffUntil: number;
  /** In order of last use, oldest first. */
  usualAddresses: Set<string>;
  usedAt: number;
}

/** One process's memory: the store without Redis, and the fallback while Redis is away. */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly buckets = new Map<string, { bucket: TokenBucket; usedAt: number }>();
  private readonly accounts = new Map<string, AccountState>();
  /** Times (epoch ms) of the events counted per key, oldest first. */
  private readonly windows = new Map<string, { times: number[]; usedAt: number }>();
  private lastSweep = Date.now();

  async take(key: string, burst: number, perMinute: number): Promise<number> {
    this.forgetIdle();
    let entry = this.buckets.get(key);
    if (!entry) {
      entry = { bucket: new TokenBucket(perMinute / 60, burst), usedAt: 0 };
      this.buckets.set(key, entry);
    }
    entry.usedAt = Date.now();
    return entry.bucket.take() ? 0 : Math.max(1, Math.ceil(entry.bucket.msUntil()));
  }

  async admitInWindow(key: string, max: number, windowMs: number): Promise<boolean> {
    this.forgetIdle();
    const now = Date.now();
    const times = (this.windows.get(key)?.times ?? []).filter((at) => now - at < windowMs);
    const admitted = times.length < max;
    if (admitted) times.push(now);
    this.windows.set(key, { times, usedAt: now });
    return admitted;
  }

  async backoffUntil(account: string): Promise<number> {
    return this.accounts.get(account)?.backoffUntil ?? 0;
  }

  async countFailure(account: string): Promise<number> {
    return ++this.account(account).failures;
  }

  async setBackoffUntil(account: string, until: number): Promise<void> {
    this.account(account).backoffUntil = until;
  }

  async isUsualAddress(account: string, address: string): Promise<boolean> {
    return this.accounts.get(account)?.usualAddresses.has(address) ?? false;
  }

  async addUsualAddress(account: string, address: string): Promise<void> {
    const addresses = this.account(account).usualAddresses;
    addresses.delete(address);
    addresses.add(address);
    if (addresses.size > MAX_USUAL_ADDRESSES) addresses.delete(addresses.values().next().value!);
  }

  private account(account: string): AccountState {
    let state = this.accounts.get(account);
    if (!state) {
      state = { failures: 0, backoffUntil: 0, usualAddresses: new Set(), usedAt: 0 };
      this.accounts.set(account, state);
    }
    state.usedAt = Date.now();
    return state;
  }

  private forgetIdle(): void {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const map of [this.buckets, this.accounts, this.windows]) {
      for (const [key, entry] of map) if (now - entry.usedAt > FORGET_AFTER_MS) map.delete(key);
    }
  }
}
