// Whom "@" in a document suggests, and what mentioning someone does. Suggestions are the
// accounts whose name or email starts with what was typed, among those the caller may know
// exist (server/access/canSeeAccount.ts), people who can open the document first; each says
// whether they can, so the editor can offer to share with those who cannot. A share link's
// guest (no account) is offered only people who can open the document. The comment box and the
// document's "@" both ask here (GET /api/documents/<id>/mentions).
import type { PrismaClient } from "../db/Database.ts";
import { accountsWithAccess } from "../access/documentRole.ts";
import { visibleAccounts, type AccountViewer } from "../access/canSeeAccount.ts";

export const MAX_MENTION_CANDIDATES = 8;
/** Accounts looked at per query before the visibility and access checks. */
const SCAN = 40;

export interface MentionCandidate {
  userId: string;
  name: string;
  /** Whether they can open the document now. */
  hasAccess: boolean;
}

/** `viewer` null: a share link's guest. */
export async function mentionCandidates(prisma: PrismaClient, documentId: string, query: string, viewer: AccountViewer | null): Promise<MentionCandidate[]> {
  const q = query.trim();
  const rows = await prisma.user.findMany({
    where: {
      deactivatedAt: null,
      ...(q ? { OR: [{ name: { startsWith: q, mode: "insensitive" } }, { name: { contains: ` ${q}`, mode: "insensitive" } }, { email: { startsWith: q, mode: "insensitive" } }] } : {}),
    },
    orderBy: { name: "asc" },
    take: SCAN,
    select: { id: true, name: true, role: true, workspaceRole: true },
  });
  const others = viewer ? rows.filter((row) => row.id !== viewer.userId) : rows;
  const [visible, withAccess] = await Promise.all([
    viewer ? visibleAccounts(prisma, viewer, others.map((row) => row.id)) : null,
    accountsWithAccess(prisma, others, documentId),
  ]);
  const found: MentionCandidate[] = [];
  for (const row of others) {
    const hasAccess = withAccess.has(row.id);
    // A guest is offered only people who can open the document; an account, those it may see.
    if (visible ? visible.has(row.id) : hasAccess) found.push({ userId: row.id, name: row.name, hasAccess });
  }
  found.sort((a, b) => Number(b.hasAccess) - Number(a.hasAccess));
  return found.slice(0, MAX_MENTION_CANDIDATES);
}
