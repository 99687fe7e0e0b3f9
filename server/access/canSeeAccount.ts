// Whether one account may learn that another exists (its name, id, that its email is taken).
// Adding a member by email answers with the account it found, so without this rule any
// account (under SIGNUP=open: anyone on the internet) could test which emails have accounts.
import type { PrismaClient } from "../db/Database.ts";
import type { SignupModeValue } from "../admin/SignupMode.ts";

/** Who is asking, and the workspace's sign-up mode. */
export interface AccountViewer {
  userId: string;
  signup: SignupModeValue;
}

/**
 * True when `viewer` may see `accountId`: always themselves; every account when they are a
 * workspace admin or have a workspace-wide role (they see the whole team anyway), or when
 * sign-up is by invitation (every account was invited by the team); otherwise only accounts
 * that already share a document with them (as owner or member, on either side).
 */
export async function canSeeAccount(prisma: PrismaClient, viewer: AccountViewer, accountId: string): Promise<boolean> {
  return (await visibleAccounts(prisma, viewer, [accountId])).has(accountId);
}

/** canSeeAccount for many accounts at once, in at most two queries: those of `accountIds` the
 *  viewer may see. */
export async function visibleAccounts(prisma: PrismaClient, viewer: AccountViewer, accountIds: readonly string[]): Promise<Set<string>> {
  const wanted = new Set(accountIds);
  if (viewer.signup === "invite") return wanted;
  const visible = new Set(wanted.has(viewer.userId) ? [viewer.userId] : []);
  const caller = await prisma.user.findUnique({ where: { id: viewer.userId }, select: { role: true, workspaceRole: true } });
  if (!caller) return visible;
  if (caller.role === "admin" || caller.workspaceRole !== null) return wanted;
  const others = [...wanted].filter((id) => id !== viewer.userId);
  if (others.length === 0) return visible;
  // Documents the viewer is on (as owner or member) that one of the others is on too.
  const involvesViewer = { OR: [{ ownerId: viewer.userId }, { members: { some: { userId: viewer.userId } } }] };
  const involvesOthers = { OR: [{ ownerId: { in: others } }, { members: { some: { userId: { in: others } } } }] };
  const shared = await prisma.document.findMany({
    where: { AND: [involvesViewer, involvesOthers] },
    select: { ownerId: true, members: { where: { userId: { in: others } }, select: { userId: true } } },
  });
  for (const document of shared) {
    if (document.ownerId && wanted.has(document.ownerId)) visible.add(document.ownerId);
    for (const member of document.members) visible.add(member.userId);
  }
  return visible;
}
