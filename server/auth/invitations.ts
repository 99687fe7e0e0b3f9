// Invitations to sign up: an admin creates one for an email (optionally with a workspace role,
// and from a document's Share dialog with a role on that document); its secret travels in the
// invitation URL, only its hash is stored. Needed while sign-up is by invitation; under open
// sign-up an invitation still brings its roles.
import type { PrismaClient } from "../db/Database.ts";
import { generateId, generateSecret, hashSecret, looksLikeSecret } from "../access/secrets.ts";
import { isGrantableRole, type GrantableRole } from "../../lib/access/roles.ts";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

export interface InvitationGrant {
  workspaceRole?: GrantableRole | null;
  /** Who made it (null: the admin command line). */
  invitedById?: string | null;
  /** A document the invited person gets `documentRole` on when they accept. */
  document?: { id: string; role: GrantableRole } | null;
}

export async function createInvitation(
  prisma: PrismaClient,
  email: string,
  grant: InvitationGrant = {},
): Promise<{ id: string; secret: string; expiresAt: Date }> {
  const secret = generateSecret();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  const { id } = await prisma.invitation.create({
    data: {
      id: generateId(),
      email: normalizeEmail(email),
      secretHash: hashSecret(secret),
      workspaceRole: grant.workspaceRole ?? null,
      invitedById: grant.invitedById ?? null,
      documentId: grant.document?.id ?? null,
      documentRole: grant.document?.role ?? null,
      expiresAt,
    },
  });
  return { id, secret, expiresAt };
}

/** The URL that opens the sign-up form with the invitation. */
export function invitationUrl(publicUrl: string, secret: string, email: string): string {
  return `${publicUrl}/sign-up?invite=${secret}&email=${encodeURIComponent(email)}`;
}

/** Live: not used, not revoked, not expired. */
const live = () => ({ usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } });

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Why an invitation link cannot be used, in words for the person holding it. */
export interface InvitationProblem {
  code: "INVITATION_USED" | "INVITATION_REVOKED" | "INVITATION_EXPIRED" | "INVITATION_UNKNOWN" | "INVITATION_OTHER_EMAIL";
  message: string;
}

/** Null when `secret` is a live invitation (for `email`, when given); otherwise what is wrong
 *  with it. Says nothing about accounts: only the invitation, which its holder already knows of. */
export async function invitationProblem(prisma: PrismaClient, secret: string | null, email: string | null): Promise<InvitationProblem | null> {
  const invitation = looksLikeSecret(secret)
    ? await prisma.invitation.findUnique({ where: { secretHash: hashSecret(secret) }, select: { email: true, usedAt: true, revokedAt: true, expiresAt: true } })
    : null;
  const askAgain = "Ask an admin for a new invitation.";
  if (!invitation) return { code: "INVITATION_UNKNOWN", message: `This invitation link is not valid: it may be incomplete or mistyped. ${askAgain}` };
  if (invitation.usedAt) return { code: "INVITATION_USED", message: "This invitation has already been used to create an account. Sign in instead." };
  if (invitation.revokedAt) return { code: "INVITATION_REVOKED", message: `This invitation was revoked by an admin. ${askAgain}` };
  if (invitation.expiresAt <= new Date()) return { code: "INVITATION_EXPIRED", message: `This invitation has expired. ${askAgain}` };
  if (email !== null && normalizeEmail(email) !== invitation.email) {
    return { code: "INVITATION_OTHER_EMAIL", message: `This invitation is for ${invitation.email}: sign up with that address, or ask an admin to invite this one.` };
  }
  return null;
}

/** Marks the invitation used if `secret` is a live invitation for `email`; null otherwise. */
export async function redeemInvitation(
  prisma: PrismaClient,
  secret: string | null,
  email: string,
): Promise<{ workspaceRole: GrantableRole | null } | null> {
  if (!looksLikeSecret(secret)) return null;
  // One statement: two sign-ups racing on one invitation cannot both redeem it.
  const used = await prisma.invitation.updateMany({
    where: { secretHash: hashSecret(secret), email: normalizeEmail(email), ...live() },
    data: { usedAt: new Date() },
  });
  if (used.count === 0) return null;
  const invitation = await prisma.invitation.findUnique({ where: { secretHash: hashSecret(secret) } });
  const role = invitation?.workspaceRole;
  return { workspaceRole: isGrantableRole(role) ? role : null };
}

/** After sign-up with a used invitation that names a document: the new account gets its role
 *  there (unless the document went to Trash or was deleted meanwhile). */
export async function grantInvitedDocument(prisma: PrismaClient, secret: string, userId: string, email: string): Promise<void> {
  if (!looksLikeSecret(secret)) return;
  const invitation = await prisma.invitation.findFirst({
    where: { secretHash: hashSecret(secret), email: normalizeEmail(email), usedAt: { not: null } },
    select: { documentId: true, documentRole: true },
  });
  if (!invitation?.documentId || !isGrantableRole(invitation.documentRole)) return;
  const document = await prisma.document.findFirst({ where: { id: invitation.documentId, trashedAt: null }, select: { id: true } });
  if (!document) return;
  await prisma.documentMember.upsert({
    where: { documentId_userId: { documentId: document.id, userId } },
    create: { documentId: document.id, userId, role: invitation.documentRole },
    update: { role: invitation.documentRole },
  });
}

export interface PendingInvitation {
  id: string;
  email: string;
  workspaceRole: string | null;
  documentId: string | null;
  documentTitle: string | null;
  documentRole: string | null;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Invitations not yet used, revoked or expired, newest first. */
export async function listPendingInvitations(prisma: PrismaClient): Promise<PendingInvitation[]> {
  const rows = await prisma.invitation.findMany({ where: live(), orderBy: { createdAt: "desc" }, take: 500 });
  const userIds = [...new Set(rows.flatMap((row) => (row.invitedById ? [row.invitedById] : [])))];
  const documentIds = [...new Set(rows.flatMap((row) => (row.documentId ? [row.documentId] : [])))];
  const [users, documents] = await Promise.all([
    prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
    prisma.document.findMany({ where: { id: { in: documentIds } }, select: { id: true, title: true } }),
  ]);
  const userName = new Map(users.map((user) => [user.id, user.name]));
  const documentTitle = new Map(documents.map((document) => [document.id, document.title]));
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    workspaceRole: row.workspaceRole,
    documentId: row.documentId,
    documentTitle: row.documentId ? (documentTitle.get(row.documentId) ?? null) : null,
    documentRole: row.documentRole,
    invitedBy: row.invitedById ? (userName.get(row.invitedById) ?? null) : null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  }));
}

/** Revokes a live invitation; false when there is none with that id (used, expired or unknown). */
export async function revokeInvitation(prisma: PrismaClient, id: string): Promise<boolean> {
  const revoked = await prisma.invitation.updateMany({ where: { id, ...live() }, data: { revokedAt: new Date() } });
  return revoked.count > 0;
}
