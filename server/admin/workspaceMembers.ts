// The workspace's people, as the admin area (/settings) shows and changes them: workspace
// role, admin or not, deactivated or not. Every change that can lower someone's access tells
// the open sockets (AccessChanges re-checks them); deactivation also deletes the account's
// sessions, which ends its sockets within SESSION_CHECK_INTERVAL_MS (server/collab/AccessWatch.ts).
import { z } from "zod";
import type { PrismaClient } from "../db/Database.ts";
import { GRANTABLE_ROLES, isGrantableRole, type GrantableRole } from "../../lib/access/roles.ts";

export interface WorkspaceMember {
  id: string;
  name: string;
  email: string;
  /** "admin" or "member". */
  role: string;
  workspaceRole: GrantableRole | null;
  deactivated: boolean;
  createdAt: Date;
  /** Latest session activity (sign-in, or the daily session refresh); null: never signed in. */
  lastActiveAt: Date | null;
}

/** The body of PATCH /api/admin/members/<userId>: the fields to change, at least one. */
export const MemberChangeBody = z
  .object(
    {
      role: z.enum(["admin", "member"], { error: "role must be admin or member." }).optional(),
      workspaceRole: z.enum(GRANTABLE_ROLES, { error: "workspaceRole must be viewer, commenter, editor or null." }).nullable().optional(),
      deactivated: z.boolean({ error: "deactivated must be true or false." }).optional(),
    },
    { error: "The body must be a JSON object." },
  )
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    error: "Nothing to change: give role, workspaceRole or deactivated.",
  });

export type MemberChange = z.output<typeof MemberChangeBody>;

/** A change an admin may not make; answered 400/409 with this message. */
export class MemberChangeRefused extends Error {
  constructor(
    message: string,
    readonly code: "not_found" | "conflict",
  ) {
    super(message);
  }
}

const MEMBER_LIST_CAP = 2_000;

export async function listWorkspaceMembers(prisma: PrismaClient): Promise<WorkspaceMember[]> {
  const [users, activity] = await Promise.all([
    prisma.user.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: MEMBER_LIST_CAP }),
    prisma.session.groupBy({ by: ["userId"], _max: { updatedAt: true } }),
  ]);
  const lastActive = new Map(activity.map((row) => [row.userId, row._max.updatedAt]));
  return users.map((user) => ({
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    workspaceRole: isGrantableRole(user.workspaceRole) ? user.workspaceRole : null,
    deactivated: user.deactivatedAt !== null,
    createdAt: user.createdAt,
    lastActiveAt: lastActive.get(user.id) ?? null,
  }));
}

/**
 * Applies `change` to `targetId` on behalf of admin `actorId` (null: the admin command line). Admins cannot demote or
 * deactivate themselves (so the workspace always keeps the admin who is acting), which also
 * means there is always at least one active admin. Returns whether access may have been
 * lowered (callers then re-check every open socket).
 */
export async function changeWorkspaceMember(
  prisma: PrismaClient,
  actorId: string | null,
  targetId: string,
  change: MemberChange,
): Promise<{ member: WorkspaceMember; accessLowered: boolean }> {
  const target = await prisma.user.findUnique({ where: { id: targetId } });
  if (!target) throw new MemberChangeRefused("No such account.", "not_found");
  if (targetId === actorId && (change.role === "member" || change.deactivated === true)) {
    throw new MemberChangeRefused("You cannot remove your own admin role or deactivate yourself; ask another admin.", "conflict");
  }
  const data: { role?: string; workspaceRole?: GrantableRole | null; deactivatedAt?: Date | null } = {};
  if (change.role !== undefined) data.role = change.role;
  if (change.workspaceRole !== undefined) data.workspaceRole = change.workspaceRole;
  if (change.deactivated !== undefined) data.deactivatedAt = change.deactivated ? (target.deactivatedAt ?? new Date()) : null;
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: targetId }, data });
    // Signed out everywhere at once: every session row goes, so the next request and the
    // sockets' session check both find none.
    if (change.deactivated === true) await tx.session.deleteMany({ where: { userId: targetId } });
  });
  const accessLowered =
    (change.role === "member" && target.role === "admin") ||
    (change.workspaceRole !== undefined && change.workspaceRole !== target.workspaceRole) ||
    change.deactivated === true;
  const member = (await listWorkspaceMembers(prisma)).find((m) => m.id === targetId);
  if (!member) throw new MemberChangeRefused("No such account.", "not_found");
  return { member, accessLowered };
}

/** The wire form: dates as ISO strings. */
export function memberJson(member: WorkspaceMember) {
  return { ...member, createdAt: member.createdAt.toISOString(), lastActiveAt: member.lastActiveAt?.toISOString() ?? null };
}
