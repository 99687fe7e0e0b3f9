// Bearer secrets (share links, invitations): random, URL-safe, and stored only as a hash.
// SHA-256 is enough here (unlike passwords): the secret has 256 bits of entropy, so there is
// nothing to brute-force, and a fast hash keeps the lookup on every WebSocket upgrade cheap.
import { createHash, randomBytes } from "node:crypto";

/** A new secret: 32 random bytes, base64url (43 characters). */
export function generateSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** What the database stores and looks up for a secret. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Shape check before touching the database: anything else cannot be one of ours. */
export function looksLikeSecret(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** A random id for rows we create (links, invitations). */
export function generateId(): string {
  return randomBytes(16).toString("base64url");
}
