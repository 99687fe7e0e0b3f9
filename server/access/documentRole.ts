// Who may do what on a document. A person's role is the strongest of: owner of the document,
// workspace admin (owner of every document), their membership on the document, their
// workspace-wide role; a share link adds its own role on its own document.
import type { PrismaClient } from "../db/Database.ts";
import { isGrantableRole, strongerRole, type Role } from "../../lib/access/roles.ts";
import { findLiveShareLinkById, type ShareLinkInfo } from "./shareLinks.ts";

/** Whoever is asking: a signed-in account, a share link's holder, or both. */
export interface Principal {
  userId: string | null;
  link: ShareLinkInfo | null;
}

/** The role of a signed-in account on a document; null when it has none or the document does not exist. */
export async function accountRole(prisma: PrismaClient, userId: string, documentId: string): Promise<Role | null> {
  const [user, document, membership] = await Promise.all([
    prisma.user.findUnique({ where: { id: userId }, select: { role: true, workspaceRole: true } }),
    prisma.document.findUnique({ where: { id: documentId }, select: { ownerId: true } }),
    prisma.documentMember.findUnique({ where: { documentId_userId: { documentId, userId } }, select: { role: true } }),
  ]);
  if (!user || !document) return null;
  return roleOf({ id: userId, ...user }, document.ownerId, membership?.role ?? null);
}

/** The accounts among `users` that have a role on the document: accountRole for many at once,
 *  in two queries (whom "@" suggests asks this of dozens of accounts per keystroke). */
export async function accountsWithAccess(prisma: PrismaClient, users: readonly AccountRoles[], documentId: string): Promise<Set<string>> {
  const ids = users.map((user) => user.id);
  const [document, memberships] = await Promise.all([
    prisma.document.findUnique({ where: { id: documentId }, select: { ownerId: true } }),
    prisma.documentMember.findMany({ where: { documentId, userId: { in: ids } }, select: { userId: true, role: true } }),
  ]);
  if (!document) return new Set();
  const memberRole = new Map(memberships.map((membership) => [membership.userId, membership.role]));
  return new Set(users.filter((user) => roleOf(user, document.ownerId, memberRole.get(user.id) ?? null) !== null).map((user) => user.id));
}

/** What an account's role on a document is made of, besides the document. */
export interface AccountRoles {
  id: string;
  role: string;
  workspaceRole: string | null;
}

/** The rule: admin or owner → owner; else the stronger of membership and workspace role. */
function roleOf(user: AccountRoles, ownerId: string | null, membershipRole: string | null): Role | null {
  if (user.role === "admin" || ownerId === user.id) return "owner";
  const member = membershipRole && isGrantableRole(membershipRole) ? membershipRole : null;
  const workspace = isGrantableRole(user.workspaceRole) ? user.workspaceRole : null;
  return strongerRole(member, workspace);
}

/** True when the document is in Trash: it keeps its roles (owners restore or delete it), but
 *  nobody may open it, on the socket or through the API, until it is restored. */
export async function isDocumentTrashed(prisma: PrismaClient, documentId: string): Promise<boolean> {
  const document = await prisma.document.findUnique({ where: { id: documentId }, select: { trashedAt: true } });
  return document?.trashedAt != null;
}

/** The principal's role on a document. */
export async function principalRole(prisma: PrismaClient, principal: Principal, documentId: string): Promise<Role | null> {
  const viaLink = principal.link && principal.link.documentId === documentId ? principal.link.role : null;
  const viaAccount = principal.userId ? await accountRole(prisma, principal.userId, documentId) : null;
  return strongerRole(viaAccount, viaLink);
}

/** The principal re-read from the database (link revoked? role lowered?), for open sockets. */
export async function refreshPrincipal(prisma: PrismaClient, principal: Principal): Promise<Principal> {
  const link = principal.link ? await findLiveShareLinkById(prisma, principal.link.id) : null;
  return { userId: principal.userId, link };
}
