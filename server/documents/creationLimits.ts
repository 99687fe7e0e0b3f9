// How fast one account may create documents and share links. Without a limit one account
// made 1,000 documents in 3.8 s and 3,000 links in 16 s: cheap for a script, and enough to
// bury everyone's real documents. A person clicking "New document" never comes close.
import { AccountRateLimiter, type RateLimit } from "./AccountRateLimiter.ts";

/** Documents an account may create at once, then per minute. */
export const DOCUMENT_CREATION_BURST = 30;
export const DOCUMENT_CREATIONS_PER_MINUTE = 30;

/** Share links an account may create at once, then per minute. */
export const LINK_CREATION_BURST = 20;
export const LINK_CREATIONS_PER_MINUTE = 20;

export const DOCUMENT_CREATION_LIMIT: RateLimit = { burst: DOCUMENT_CREATION_BURST, perMinute: DOCUMENT_CREATIONS_PER_MINUTE };
export const LINK_CREATION_LIMIT: RateLimit = { burst: LINK_CREATION_BURST, perMinute: LINK_CREATIONS_PER_MINUTE };

/** The limiters of one process. */
export interface CreationLimiters {
  documents: AccountRateLimiter;
  links: AccountRateLimiter;
}

// On globalThis like the Database: Next bundles each route handler separately, and the
// limits must hold across all of them (and survive a dev-mode module reload).
const globalForLimits = globalThis as typeof globalThis & { __collabCreationLimiters?: CreationLimiters };

/** Fresh limiters with the limits above; `now` (milliseconds) lets tests hold the clock still. */
export function createCreationLimiters(now?: () => number): CreationLimiters {
  return { documents: new AccountRateLimiter(DOCUMENT_CREATION_LIMIT, now), links: new AccountRateLimiter(LINK_CREATION_LIMIT, now) };
}

/** Installs the process's limiters (tests start each case from full buckets). */
export function setCreationLimiters(limiters: CreationLimiters): void {
  globalForLimits.__collabCreationLimiters = limiters;
}

/** The process's limiters, made on first use. */
export function creationLimiters(): CreationLimiters {
  return (globalForLimits.__collabCreationLimiters ??= createCreationLimiters());
}
