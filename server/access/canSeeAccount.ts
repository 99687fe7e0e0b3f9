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
  if (accountId === viewer.userId || viewer.signup === "invite") return true;
  const caller = await prisma.user.findUnique({ where: { id: viewer.userId }, select: { role: true, workspaceRole: true } });
  if (!caller) return false;
  if (caller.role === "admin" || caller.workspaceRole !== null) return true;
  const involves = (userId: string) => ({ OR: [{ ownerId: userId }, { members: { some: { userId } } }] });
  const shared = await prisma.document.findFirst({ where: { AND: [involves(viewer.userId), involves(accountId)] }, select: { id: true } });
  return shared !== null;
}
