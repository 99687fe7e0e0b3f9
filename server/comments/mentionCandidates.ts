// Whom `@` in a comment suggests: accounts whose name matches, that can open the document; for
// an owner, also accounts they may see (canSeeAccount) that cannot, marked so the page offers to
// share the document with them. A link's guest is offered only people on the document.
import type { PrismaClient } from "../db/Database.ts";
import type { SignupModeValue } from "../admin/SignupMode.ts";
import { accountRole } from "../access/documentRole.ts";
import { canSeeAccount } from "../access/canSeeAccount.ts";

export interface MentionCandidate {
  userId: string;
  name: string;
  hasAccess: boolean;
  /** Only for owners (who share by email) and only for accounts without access. */
  email?: string;
}

const MAX_CANDIDATES = 8;

export async function mentionCandidates(
  prisma: PrismaClient,
  documentId: string,
  query: string,
  viewer: { userId: string | null; isOwner: boolean; signup: SignupModeValue },
): Promise<MentionCandidate[]> {
  const users = await prisma.user.findMany({
    where: { deactivatedAt: null, ...(query ? { name: { contains: query, mode: "insensitive" as const } } : {}) },
    orderBy: { name: "asc" },
    take: 40,
    select: { id: true, name: true, email: true },
  });
  const found: MentionCandidate[] = [];
  for (const user of users) {
    if (found.length >= MAX_CANDIDATES) break;
    if ((await accountRole(prisma, user.id, documentId)) !== null) found.push({ userId: user.id, name: user.name, hasAccess: true });
    else if (viewer.isOwner && viewer.userId && (await canSeeAccount(prisma, { userId: viewer.userId, signup: viewer.signup }, user.id))) {
      found.push({ userId: user.id, name: user.name, hasAccess: false, email: user.email });
    }
  }
  return found;
}
