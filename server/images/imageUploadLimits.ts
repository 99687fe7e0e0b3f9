// How fast one account (or one share link's guests) may upload images. Each upload is up to
// MAX_UPLOAD_BYTES held in memory and then kept in the database for the document's lifetime,
// so a script looping on the route would fill the disk; a person pasting a batch of
// screenshots stays far below this.
import { AccountRateLimiter, type RateLimit } from "../documents/AccountRateLimiter.ts";

/** Uploads an account may make at once, then per minute. */
export const IMAGE_UPLOAD_BURST = 30;
export const IMAGE_UPLOADS_PER_MINUTE = 30;

export const IMAGE_UPLOAD_LIMIT: RateLimit = { burst: IMAGE_UPLOAD_BURST, perMinute: IMAGE_UPLOADS_PER_MINUTE };

// On globalThis like the Database: Next bundles each route handler separately, and a module
// variable would exist once per bundle (and be reset by a dev-mode reload).
const globalForLimits = globalThis as typeof globalThis & { __collabImageUploadLimiter?: AccountRateLimiter };

/** The process's upload limiter, made on first use. */
export function imageUploadLimiter(): AccountRateLimiter {
  return (globalForLimits.__collabImageUploadLimiter ??= new AccountRateLimiter(IMAGE_UPLOAD_LIMIT));
}

/** Installs a limiter (tests start from a full bucket, or a clock held still). */
export function setImageUploadLimiter(limiter: AccountRateLimiter): void {
  globalForLimits.__collabImageUploadLimiter = limiter;
}

/** Whose budget an upload spends: the account's, or for a guest the link's (all of its
 *  guests share one budget, as they share one identity to us). */
export function uploadBudgetKey(access: { user: { id: string } | null; link: { id: string } | null }): string {
  return access.user ? `user:${access.user.id}` : `link:${access.link?.id ?? "none"}`;
}
