// Invitations to sign up while SIGNUP=invite: an admin creates one for an email (optionally
// with a workspace role); its secret travels in the invitation URL, only its hash is stored.
import type { PrismaClient } from "../db/Database.ts";
import { generateId, generateSecret, hashSecret, looksLikeSecret } from "../access/secrets.ts";
import type { GrantableRole } from "../../lib/access/roles.ts";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

export async function createInvitation(
  prisma: PrismaClient,
  email: string,
  workspaceRole: GrantableRole | null,
): Promise<{ id: string; secret: string; expiresAt: Date }> {
  const secret = generateSecret();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  const { id } = await prisma.invitation.create({
    data: { id: generateId(), email: email.trim().toLowerCase(), secretHash: hashSecret(secret), workspaceRole, expiresAt },
  });
  return { id, secret, expiresAt };
}

/** The live invitation `secret` opens for `email`, without using it; null otherwise. */
export async function findLiveInvitation(
  prisma: PrismaClient,
  secret: string | null,
  email: string,
): Promise<{ workspaceRole: string | null } | null> {
  if (!looksLikeSecret(secret)) return null;
  return prisma.invitation.findFirst({
    where: { secretHash: hashSecret(secret), email: email.trim().toLowerCase(), usedAt: null, expiresAt: { gt: new Date() } },
    select: { workspaceRole: true },
  });
}

/** Marks the invitation used if `secret` is a live invitation for `email`; null otherwise. */
export async function redeemInvitation(
  prisma: PrismaClient,
  secret: string | null,
  email: string,
): Promise<{ workspaceRole: string | null } | null> {
  if (!looksLikeSecret(secret)) return null;
  // One statement: two sign-ups racing on one invitation cannot both redeem it.
  const used = await prisma.invitation.updateMany({
    where: { secretHash: hashSecret(secret), email: email.trim().toLowerCase(), usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  if (used.count === 0) return null;
  const invitation = await prisma.invitation.findUnique({ where: { secretHash: hashSecret(secret) } });
  return { workspaceRole: invitation?.workspaceRole ?? null };
}
