// Share links: a document, a role, an optional expiry, and a secret of which only the hash is
// stored. Whoever presents the secret (page URL or WebSocket `?token=`) gets the role.
import type { PrismaClient } from "../db/Database.ts";
import type { GrantableRole } from "../../lib/access/roles.ts";
import { isGrantableRole } from "../../lib/access/roles.ts";
import { generateId, generateSecret, hashSecret, looksLikeSecret } from "./secrets.ts";

export interface ShareLinkInfo {
  id: string;
  documentId: string;
  role: GrantableRole;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const infoFields = { id: true, documentId: true, role: true, createdAt: true, expiresAt: true, revokedAt: true } as const;

/** The page URL that opens a document with a link's secret. */
export function shareLinkUrl(publicUrl: string, documentId: string, secret: string): string {
  return `${publicUrl}/d/${encodeURIComponent(documentId)}?token=${secret}`;
}

export async function createShareLink(
  prisma: PrismaClient,
  input: { documentId: string; role: GrantableRole; expiresAt: Date | null; createdById: string | null },
): Promise<{ link: ShareLinkInfo; secret: string }> {
  const secret = generateSecret();
  const row = await prisma.shareLink.create({
    data: { id: generateId(), secretHash: hashSecret(secret), ...input },
    select: infoFields,
  });
  return { link: toInfo(row), secret };
}

/** The document's links, newest first, revoked ones included (the dialog shows them as such). */
export async function listShareLinks(prisma: PrismaClient, documentId: string): Promise<ShareLinkInfo[]> {
  const rows = await prisma.shareLink.findMany({ where: { documentId }, orderBy: { createdAt: "desc" }, select: infoFields });
  return rows.map(toInfo);
}

/** Revokes one of the document's links; false when there is no such link. */
export async function revokeShareLink(prisma: PrismaClient, documentId: string, linkId: string): Promise<boolean> {
  const result = await prisma.shareLink.updateMany({
    where: { id: linkId, documentId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (result.count > 0) return true;
  return (await prisma.shareLink.count({ where: { id: linkId, documentId } })) > 0;
}

/** The live (not revoked, not expired) link a secret belongs to, or null. */
export async function findLiveShareLink(prisma: PrismaClient, secret: unknown): Promise<ShareLinkInfo | null> {
  if (!looksLikeSecret(secret)) return null;
  const row = await prisma.shareLink.findUnique({ where: { secretHash: hashSecret(secret) }, select: infoFields });
  return row && isLive(toInfo(row)) ? toInfo(row) : null;
}

/** The same link re-read by id, for rechecking an open socket; null once revoked or expired. */
export async function findLiveShareLinkById(prisma: PrismaClient, id: string): Promise<ShareLinkInfo | null> {
  const row = await prisma.shareLink.findUnique({ where: { id }, select: infoFields });
  return row && isLive(toInfo(row)) ? toInfo(row) : null;
}

export function isLive(link: ShareLinkInfo, now = Date.now()): boolean {
  return link.revokedAt === null && (link.expiresAt === null || link.expiresAt.getTime() > now);
}

function toInfo(row: { id: string; documentId: string; role: string; createdAt: Date; expiresAt: Date | null; revokedAt: Date | null }): ShareLinkInfo {
  // The column is written only through createShareLink; anything else is treated as view-only.
  return { ...row, role: isGrantableRole(row.role) ? row.role : "viewer" };
}
