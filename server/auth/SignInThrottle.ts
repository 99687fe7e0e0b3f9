// Sign-in and sign-up attempts, limited in three ways:
// - per client address, decided before the request body is read (startServer), so a flood
//   from one address costs no parsing;
// - per (account, address): one address cannot guess one account's password quickly;
// - per account across addresses, by backing off instead of refusing: after many failures
//   from anywhere, addresses that never signed in to the account must wait longer and longer,
//   while the owner's usual addresses (a successful sign-in from there) are not slowed. A
//   guesser can therefore not lock the owner out, which a flat per-account limit allowed.
// Kept in memory per instance: N instances allow N times the rate, which still bounds guessing.
import { TokenBucket } from "../collab/TokenBucket.ts";

export interface ThrottleLimits {
  /** Attempts an address may make in a burst, refilled at `perAddressPerMinute`. */
  perAddressBurst: number;
  perAddressPerMinute: number;
  /** Attempts against one account from one address in a burst, refilled at `perAccountAddressPerMinute`. */
  perAccountAddressBurst: number;
  perAccountAddressPerMinute: number;
  /** Failed sign-ins to one account (from any address) before unknown addresses must back off. */
  accountFailuresBeforeBackoff: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  perAddressBurst: 20,
  perAddressPerMinute: 10,
  perAccountAddressBurst: 5,
  perAccountAddressPerMinute: 2,
  accountFailuresBeforeBackoff: 10,
};

/** The first back-off step; each further failure doubles it, up to BACKOFF_MAX_MS. */
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 15 * 60_000;
/** Entries idle this long are forgotten (buckets are full again, failures long past). */
const FORGET_AFTER_MS = 30 * 60_000;
/** Usual addresses remembered per account; the oldest is dropped beyond this. */
const MAX_USUAL_ADDRESSES = 20;

interface AccountState {
  failures: number;
  /** Until when addresses that are not usual for this account must wait. */
  backoffUntil: number;
  usualAddresses: Set<string>;
  usedAt: number;
}

export class SignInThrottle {
  private readonly byAddress = new Map<string, { bucket: TokenBucket; usedAt: number }>();
  private readonly byAccountAddress = new Map<string, { bucket: TokenBucket; usedAt: number }>();
  private readonly accounts = new Map<string, AccountState>();

  constructor(private readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS) {}

  /** Counts one attempt from `address` (before its body is read); seconds to wait, or 0. */
  admitAddress(address: string): number {
    this.forgetIdle();
    const bucket = this.bucket(this.byAddress, address, this.limits.perAddressBurst, this.limits.perAddressPerMinute);
    return bucket.take() ? 0 : Math.ceil(bucket.msUntil() / 1000);
  }

  /** Counts one attempt on `email` from `address`; seconds to wait, or 0. `isUsualAddress`
   *  looks further than this instance's memory (sessions in the database) before backing off. */
  async admitAccount(
    address: string,
    email: string,
    isUsualAddress: (email: string, address: string) => Promise<boolean> = async () => false,
  ): Promise<number> {
    const account = normalizeEmail(email);
    const state = this.accounts.get(account);
    const now = Date.now();
    if (state && state.backoffUntil > now && !state.usualAddresses.has(address)) {
      if (await isUsualAddress(account, address)) state.usualAddresses.add(address);
      else return Math.ceil((state.backoffUntil - now) / 1000);
    }
    const bucket = this.bucket(
      this.byAccountAddress,
      `${account}\n${address}`,
      this.limits.perAccountAddressBurst,
      this.limits.perAccountAddressPerMinute,
    );
    return bucket.take() ? 0 : Math.ceil(bucket.msUntil() / 1000);
  }

  /** The outcome of a sign-in that was admitted: failures grow the account's back-off, a
   *  success makes `address` one of the account's usual addresses. */
  recordSignIn(address: string, email: string, succeeded: boolean): void {
    const account = normalizeEmail(email);
    const now = Date.now();
    let state = this.accounts.get(account);
    if (!state) {
      state = { failures: 0, backoffUntil: 0, usualAddresses: new Set(), usedAt: now };
      this.accounts.set(account, state);
    }
    state.usedAt = now;
    if (succeeded) {
      state.usualAddresses.delete(address);
      state.usualAddresses.add(address);
      if (state.usualAddresses.size > MAX_USUAL_ADDRESSES) {
        state.usualAddresses.delete(state.usualAddresses.values().next().value!);
      }
      return;
    }
    state.failures++;
    const over = state.failures - this.limits.accountFailuresBeforeBackoff;
    if (over >= 0) {
      state.backoffUntil = now + Math.min(BACKOFF_BASE_MS * 2 ** Math.min(over, 30), BACKOFF_MAX_MS);
    }
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
    for (const map of [this.byAddress, this.byAccountAddress, this.accounts]) {
      for (const [key, entry] of map) if (now - entry.usedAt > FORGET_AFTER_MS) map.delete(key);
    }
  }
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
