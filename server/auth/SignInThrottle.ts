// Sign-in and sign-up attempts, limited in three ways:
// - per client address, decided before the request body is parsed (startServer), so a flood
//   from one address costs no parsing;
// - per (account, address): one address cannot guess one account's password quickly;
// - per account across addresses, by backing off instead of refusing: after many failures
//   from anywhere, addresses that never signed in to the account must wait longer and longer,
//   while the owner's usual addresses (a successful sign-in from there) are not slowed. A
//   guesser can therefore not lock the owner out, which a flat per-account limit allowed.
// Counted in a ThrottleStore: Redis when REDIS_URL is set, so the limits hold across instances;
// otherwise this process's memory.
import { MemoryThrottleStore, type ThrottleStore } from "./ThrottleStore.ts";

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

export class SignInThrottle {
  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS,
    private readonly store: ThrottleStore = new MemoryThrottleStore(),
  ) {}

  /** Counts one attempt from `address` (before its body is read); seconds to wait, or 0. */
  async admitAddress(address: string): Promise<number> {
    const waitMs = await this.store.take(`address:${address}`, this.limits.perAddressBurst, this.limits.perAddressPerMinute);
    return Math.ceil(waitMs / 1000);
  }

  /** Counts one attempt on `email` from `address`; seconds to wait, or 0. `isUsualAddress`
   *  looks further than the throttle's memory (sessions in the database) before backing off. */
  async admitAccount(
    address: string,
    email: string,
    isUsualAddress: (email: string, address: string) => Promise<boolean> = async () => false,
  ): Promise<number> {
    const account = normalizeEmail(email);
    const backoffUntil = await this.store.backoffUntil(account);
    const now = Date.now();
    if (backoffUntil > now && !(await this.store.isUsualAddress(account, address))) {
      if (await isUsualAddress(account, address)) await this.store.addUsualAddress(account, address);
      else return Math.ceil((backoffUntil - now) / 1000);
    }
    const waitMs = await this.store.take(`account:${account}\n${address}`, this.limits.perAccountAddressBurst, this.limits.perAccountAddressPerMinute);
    return Math.ceil(waitMs / 1000);
  }

  /** The outcome of a sign-in that was admitted: failures grow the account's back-off, a
   *  success makes `address` one of the account's usual addresses. */
  async recordSignIn(address: string, email: string, succeeded: boolean): Promise<void> {
    const account = normalizeEmail(email);
    if (succeeded) return this.store.addUsualAddress(account, address);
    const failures = await this.store.countFailure(account);
    const over = failures - this.limits.accountFailuresBeforeBackoff;
    if (over >= 0) {
      await this.store.setBackoffUntil(account, Date.now() + Math.min(BACKOFF_BASE_MS * 2 ** Math.min(over, 30), BACKOFF_MAX_MS));
    }
  }
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
