// Asking for password-reset mail, limited in two ways: per client address (a flood of requests
// from one place), and per account whoever asks (someone asking from many addresses, each under
// its limit, cannot flood a person's inbox). Counted in the sign-in throttle's ThrottleStore:
// Redis when REDIS_URL is set, so the limits hold across instances; otherwise this process's
// memory.
import { MemoryThrottleStore, type ThrottleStore } from "./ThrottleStore.ts";

/** Requests one address may make at once, refilled at RESET_REQUESTS_PER_MINUTE. */
export const RESET_REQUESTS_BURST = 3;
export const RESET_REQUESTS_PER_MINUTE = 3;
/** Reset mails one account receives at most per RESET_MAILS_WINDOW_MS (whoever asks). */
export const RESET_MAILS_PER_ACCOUNT = 3;
export const RESET_MAILS_WINDOW_MS = 15 * 60_000;

export class PasswordResetThrottle {
  constructor(private readonly store: ThrottleStore = new MemoryThrottleStore()) {}

  /** Counts one request from `address`; seconds to wait, or 0. */
  async admitRequest(address: string): Promise<number> {
    const waitMs = await this.store.take(`reset:${address}`, RESET_REQUESTS_BURST, RESET_REQUESTS_PER_MINUTE);
    return Math.ceil(waitMs / 1000);
  }

  /** Counts a reset mail to the account `userId` if the limit allows it; false: do not send. */
  admitMail(userId: string): Promise<boolean> {
    return this.store.admitInWindow(`reset-mail:${userId}`, RESET_MAILS_PER_ACCOUNT, RESET_MAILS_WINDOW_MS);
  }
}
