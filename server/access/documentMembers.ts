// People with a role on one document (beyond its owner): granted by the owner by email.
import type { PrismaClient } from "../db/Database.ts";
import { isGrantableRole, type GrantableRole } from "../../lib/access/roles.ts";
import { canSeeAccount, type AccountViewer } from "./canSeeAccount.ts";

export interface DocumentMemberInfo {
  userId: string;
  name: string;
  email: string;
  role: GrantableRole;
}

export async function listMembers(prisma: PrismaClient, documentId: string): Promise<DocumentMemberInfo[]> {
  const rows = await prisma.documentMember.findMany({
    where: { documentId },
    orderBy: { createdAt: "asc" },
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
  });
  return rows.map((row) => ({
    userId: row.user.id,
    name: row.user.name,
    email: row.user.email,
    role: isGrantableRole(row.role) ? row.role : "viewer",
  }));
}

/** Grants (or changes) an account's role on the document, with the role it had before (null:
 *  none); null when no account has that email or when `viewer` may not see that account
 *  (canSeeAccount): the two must look the same. */
export async function grantMember(
  prisma: PrismaClient,
  documentId: string,
  email: string,
  role: GrantableRole,
  viewer: AccountViewer,
): Promise<{ member: DocumentMemberInfo; previousRole: GrantableRole | null } | null> {
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, name: true, email: true } });
  // The visibility check runs for unknown emails too (against an id no account has), so the
  // two refusals also take about the same time.
  const visible = await canSeeAccount(prisma, viewer, user?.id ?? "");
  if (!user || !visible) return null;
  const previous = await prisma.documentMember.findUnique({ where: { documentId_userId: { documentId, userId: user.id } }, select: { role: true } });
  await prisma.documentMember.upsert({
    where: { documentId_userId: { documentId, userId: user.id } },
    create: { documentId, userId: user.id, role },
    update: { role },
  });
  const previousRole = previous && isGrantableRole(previous.role) ? previous.role : null;
  return { member: { userId: user.id, name: user.name, email: user.email, role }, previousRole };
}

/** Removes an account's membership; false when it had none. */
export async function removeMember(prisma: PrismaClient, documentId: string, userId: string): Promise<boolean> {
  const result = await prisma.documentMember.deleteMany({ where: { documentId, userId } });
  return result.count > 0;
}
