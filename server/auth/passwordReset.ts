// Password-reset links: Better Auth's reset flow (a single-use token in its verifications
// table, stored hashed; POST /api/auth/reset-password consumes it and ends every session of
// the account), pointed at our /reset-password page. The token is made either by Better Auth
// when someone asks for a reset by email (mailed to them), or here when an admin makes a link
// to pass on by hand (email off, or a member who cannot receive mail).
import { generateSecret } from "../access/secrets.ts";
import type { Auth } from "./createAuth.ts";

/** How long a mailed link works (Better Auth's resetPasswordTokenExpiresIn). */
export const RESET_MAIL_TTL_SECONDS = 60 * 60;
/** How long a link made by an admin works: it travels by hand, which takes longer than mail. */
export const ADMIN_RESET_LINK_TTL_MS = 24 * 60 * 60_000;

/** Better Auth's name for a reset token's row. */
const identifier = (token: string) => `reset-password:${token}`;

/** Shape of the tokens Better Auth makes (24 alphanumerics) and ours (base64url, 43). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,64}$/;

/** The page that sets a new password with `token`. */
export function resetPasswordUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
}

/** A new reset link for `userId`, valid ADMIN_RESET_LINK_TTL_MS. */
export async function createResetLink(auth: Auth, publicUrl: string, userId: string): Promise<{ url: string; expiresAt: Date }> {
  const context = await auth.$context;
  const token = generateSecret();
  const expiresAt = new Date(Date.now() + ADMIN_RESET_LINK_TTL_MS);
  await context.internalAdapter.createVerificationValue({ value: userId, identifier: identifier(token), expiresAt });
  return { url: resetPasswordUrl(publicUrl, token), expiresAt };
}

export type ResetTokenState = { state: "live"; email: string; expiresAt: Date } | { state: "expired" } | { state: "invalid" };

/** What the reset page says before asking for a password: whose link it is, or why it cannot
 *  be used. A used token is gone (Better Auth deletes it), so "invalid" covers "already used". */
export async function describeResetToken(auth: Auth, token: unknown): Promise<ResetTokenState> {
  if (typeof token !== "string" || !TOKEN_SHAPE.test(token)) return { state: "invalid" };
  const context = await auth.$context;
  const verification = await context.internalAdapter.findVerificationValue(identifier(token));
  if (!verification) return { state: "invalid" };
  if (new Date(verification.expiresAt) < new Date()) return { state: "expired" };
  const user = await context.internalAdapter.findUserById(verification.value);
  if (!user) return { state: "invalid" };
  return { state: "live", email: user.email, expiresAt: new Date(verification.expiresAt) };
}
