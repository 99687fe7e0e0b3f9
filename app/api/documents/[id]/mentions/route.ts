// GET /api/documents/<id>/mentions?q=<text>: whom "@" suggests, in the document and in comments
// (editors and commenters, a comment link's guest too): {candidates: [{userId, name, hasAccess}],
// canShare}, people who can open the document first; a guest is offered only those.
// POST /api/documents/<id>/mentions {userId, excerpt}: the caller just mentioned that account
// in the document. Someone who can open it is notified (the bell, live; mail when SMTP_URL is
// set) → {notified: true}; someone who cannot is not → {notified: false, hasAccess: false,
// canShare} (owners may share with them from the editor; others are told to ask an owner).
import { z } from "zod";
import { canEdit, canShare, roleAtLeast } from "@/lib/access/roles";
import { accountRole } from "@/server/access/documentRole";
import { canSeeAccount } from "@/server/access/canSeeAccount";
import { mentionCandidates } from "@/server/notifications/mentionCandidates";
import { notify } from "@/server/notifications/notify";
import { accessDenied, errorResponse, jsonResponse } from "@/server/documents/documentHttp";
import { readBody } from "@/server/http/requestBody";
import { withDocument } from "@/server/documents/withDocument";

const MAX_QUERY_CHARS = 64;
const MAX_EXCERPT_CHARS = 1_000;

const USER_ID_REQUIRED = "userId is required.";
const MentionBody = z.object(
  {
    userId: z.string({ error: USER_ID_REQUIRED }).max(64, { error: USER_ID_REQUIRED }),
    // Context for the notification only: whatever comes is cut, never refused.
    excerpt: z
      .string()
      .catch("")
      .transform((excerpt) => excerpt.slice(0, MAX_EXCERPT_CHARS)),
  },
  { error: USER_ID_REQUIRED },
);

export const GET = withDocument(
  (role) => roleAtLeast(role, "commenter"),
  { withShareToken: true, operation: "mention candidates" },
  async ({ request, id, access, context }) => {
    const user = access.user;
    const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, MAX_QUERY_CHARS);
    const viewer = user ? { userId: user.id, signup: await context.signup.current() } : null;
    return jsonResponse({ candidates: await mentionCandidates(context.prisma, id, query, viewer), canShare: canShare(access.role) });
  },
);

// Mentions in the document are made by those who can write in it.
export const POST = withDocument(canEdit, { mutation: true, operation: "mention" }, async ({ request, id, access, context }) => {
  const user = access.user;
  if (!user) return accessDenied(access.link !== null);
  const read = await readBody(request, MentionBody);
  if (!read.ok) return read.response;
  const { userId, excerpt } = read.body;
  const { prisma } = context;
  // Someone the caller may not know exists is answered like an unknown account.
  const visible = await canSeeAccount(prisma, { userId: user.id, signup: await context.signup.current() }, userId);
  const target = visible ? await prisma.user.findFirst({ where: { id: userId, deactivatedAt: null }, select: { id: true } }) : null;
  if (!target) return errorResponse("not_found", "No such account.");
  if ((await accountRole(prisma, target.id, id)) === null) {
    return jsonResponse({ notified: false, hasAccess: false, canShare: canShare(access.role) });
  }
  const notification = await notify(prisma, { recipientId: target.id, kind: "mention", documentId: id, actorId: user.id, actorName: user.name, excerpt });
  return jsonResponse({ notified: notification !== null, hasAccess: true, canShare: canShare(access.role) });
});
