// GET /api/documents/<id>/mentions?q=<text>: whom "@" suggests, in the document and in comments
// (editors and commenters, a comment link's guest too): {candidates: [{userId, name, hasAccess}],
// canShare}, people who can open the document first; a guest is offered only those.
// POST /api/documents/<id>/mentions {userId, excerpt}: the caller just mentioned that account
// in the document. Someone who can open it is notified (the bell, live; mail when SMTP_URL is
// set) → {notified: true}; someone who cannot is not → {notified: false, hasAccess: false,
// canShare} (owners may share with them from the editor; others are told to ask an owner).
import { canEdit, canShare, roleAtLeast } from "@/lib/access/roles";
import { accountRole } from "@/server/access/documentRole";
import { canSeeAccount } from "@/server/access/canSeeAccount";
import { mentionCandidates } from "@/server/notifications/mentionCandidates";
import { notify } from "@/server/notifications/notify";
import { accessDenied, errorResponse, jsonResponse, readJsonBody } from "@/server/documents/documentHttp";
import { withDocument } from "@/server/documents/withDocument";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const MAX_QUERY_CHARS = 64;

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
  const body = await readJsonBody(request);
  if (typeof body?.userId !== "string" || body.userId.length > 64) return errorResponse("bad_request", "userId is required.");
  const excerpt = typeof body.excerpt === "string" ? body.excerpt.slice(0, 1_000) : "";
  const { prisma } = context;
  // Someone the caller may not know exists is answered like an unknown account.
  const visible = await canSeeAccount(prisma, { userId: user.id, signup: await context.signup.current() }, body.userId);
  const target = visible ? await prisma.user.findFirst({ where: { id: body.userId, deactivatedAt: null }, select: { id: true } }) : null;
  if (!target) return errorResponse("not_found", "No such account.");
  if ((await accountRole(prisma, target.id, id)) === null) {
    return jsonResponse({ notified: false, hasAccess: false, canShare: canShare(access.role) });
  }
  const notification = await notify(prisma, { recipientId: target.id, kind: "mention", documentId: id, actorId: user.id, actorName: user.name, excerpt });
  return jsonResponse({ notified: notification !== null, hasAccess: true, canShare: canShare(access.role) });
});
