// GET /api/documents/<id>/members: people with a role on the document (owners only).
// POST /api/documents/<id>/members {email, role} (or {userId, role}): grant or change an account's role. Lowering
// a role reaches that person's open sockets at once (server/access/AccessChanges.ts). An
// account the caller may not see (server/access/canSeeAccount.ts) is answered exactly like
// an email without an account, so this cannot be used to find out who has one. When email is
// on, a person given a role (or a higher one) is told by mail, after the answer is sent.
import { z } from "zod";
import { canShare, GRANTABLE_ROLES, roleAtLeast, type GrantableRole } from "@/lib/access/roles";
import { sharedWithYouMail } from "@/server/mail/sharedWithYouMail";
import type { AccessContext } from "@/server/access/accessContext";
import { grantMember, listMembers } from "@/server/access/documentMembers";
import { notify } from "@/server/notifications/notify";
import { log } from "@/server/log";
import { accessDenied, errorResponse, jsonResponse, readJsonBody } from "@/server/documents/documentHttp";
import { parseBody, withoutControlCharacters } from "@/server/http/requestBody";
import { withDocument } from "@/server/documents/withDocument";

const EMAIL_REQUIRED = "email is required.";
const GrantBody = z.object(
  { email: z.string({ error: EMAIL_REQUIRED }).check(withoutControlCharacters("email")), role: z.enum(GRANTABLE_ROLES, { error: "role must be viewer, commenter or editor." }) },
  { error: EMAIL_REQUIRED },
);

export const GET = withDocument(canShare, { operation: "member list" }, async ({ id, context }) =>
  jsonResponse({ members: await listMembers(context.prisma, id) }),
);

export const POST = withDocument(canShare, { mutation: true, operation: "member grant" }, async ({ request, id, access, context }) => {
  const raw = await readJsonBody(request);
  // {userId} instead of {email}: sharing with someone just mentioned (the editor knows their
  // account, not their address). Same visibility rule: an account the caller may not see is
  // answered like an unknown email.
  if (raw !== null && typeof raw.userId === "string" && raw.email === undefined) {
    const account = raw.userId.length <= 64 ? await context.prisma.user.findUnique({ where: { id: raw.userId }, select: { email: true } }) : null;
    raw.email = account?.email ?? "";
  }
  const parsed = parseBody(GrantBody, raw);
  if (!parsed.ok) return parsed.response;
  const body = parsed.body;
  // Sharing needs ownership, which only an account has (links never grant it).
  const caller = access.user;
  if (!caller) return accessDenied(access.link !== null);
  const granted = await grantMember(context.prisma, id, body.email, body.role, { userId: caller.id, signup: await context.signup.current() });
  if (!granted) return errorResponse("not_found", "No account you can add has that email. Check the address, or ask an admin to add them.");
  context.changes.publish(id);
  const { member, previousRole } = granted;
  const gained = previousRole === null || (member.role !== previousRole && roleAtLeast(member.role, previousRole));
  if (gained) {
    // The bell (live, every instance); the mail below is the share's own.
    await notify(context.prisma, {
      recipientId: member.userId,
      kind: "share",
      documentId: id,
      actorId: caller.id,
      actorName: caller.name,
      excerpt: SHARE_EXCERPT[member.role],
      email: false,
    }).catch((error: unknown) => log.error("share notification failed", { documentId: id, error: String(error) }));
  }
  if (context.mailer.enabled && gained && member.userId !== caller.id) {
    // Not awaited: sharing does not wait on the SMTP server (the Mailer logs a failure and
    // Settings → Email shows it); the person has the document either way.
    void notifyShared(context, id, member.email, member.role, caller.name);
  }
  return jsonResponse({ member }, 201);
});

const SHARE_EXCERPT: Record<GrantableRole, string> = { viewer: "You can view it.", commenter: "You can comment on it.", editor: "You can edit it." };

async function notifyShared(
  { prisma, mailer, publicUrl }: AccessContext,
  documentId: string,
  to: string,
  role: GrantableRole,
  sharerName: string,
): Promise<void> {
  const document = await prisma.document.findUnique({ where: { id: documentId }, select: { title: true } }).catch(() => null);
  const url = `${publicUrl}/d/${encodeURIComponent(documentId)}`;
  await mailer.send(sharedWithYouMail({ to, sharerName, title: document?.title ?? "", role, url }));
}
