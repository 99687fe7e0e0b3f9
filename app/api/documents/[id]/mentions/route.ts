// GET /api/documents/<id>/mentions?q=<text>: whom "@" suggests, in the document and in comments
// (editors and commenters, a comment link's guest too): {candidates: [{userId, name, hasAccess}],
// canShare}, people who can open the document first; a guest is offered only those.
// POST /api/documents/<id>/mentions {userId, excerpt}: the caller just mentioned that account
// in the document. Someone who can open it is notified (the bell, live; mail when SMTP_URL is
// set) → {notified: true}; someone who cannot is not → {notified: false, hasAccess: false,
// canShare} (owners may share with them from the editor; others are told to ask an owner).
import { canEdit, canShare, roleAtLeast } from "@/lib/access/roles";
import { getAccessContext } from "@/server/access/accessContext";
import { accountRole } from "@/server/access/documentRole";
import { canSeeAccount } from "@/server/access/canSeeAccount";
import { mentionCandidates } from "@/server/notifications/mentionCandidates";
import { notify } from "@/server/notifications/notify";
import { accessDenied, errorResponse, guardDocumentRequest, jsonResponse, readJsonBody, storeUnavailable, type DocumentRouteContext } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const MAX_QUERY_CHARS = 64;

export async function GET(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => roleAtLeast(role, "commenter"), { withShareToken: true });
  if (!guard.ok) return guard.response;
  const user = guard.access.user;
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, MAX_QUERY_CHARS);
  const context = getAccessContext();
  try {
    const viewer = user ? { userId: user.id, signup: await context.signup.current() } : null;
    return jsonResponse({ candidates: await mentionCandidates(context.prisma, id, query, viewer), canShare: canShare(guard.access.role) });
  } catch (error) {
    return storeUnavailable("mention candidates", error);
  }
}

export async function POST(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  // Mentions in the document are made by those who can write in it.
  const guard = await guardDocumentRequest(request, id, canEdit, { mutation: true });
  if (!guard.ok) return guard.response;
  const user = guard.access.user;
  if (!user) return accessDenied(guard.access.link !== null);
  const body = await readJsonBody(request);
  if (typeof body?.userId !== "string" || body.userId.length > 64) return errorResponse("bad_request", "userId is required.");
  const excerpt = typeof body.excerpt === "string" ? body.excerpt.slice(0, 1_000) : "";
  const context = getAccessContext();
  const { prisma } = context;
  try {
    // Someone the caller may not know exists is answered like an unknown account.
    const visible = await canSeeAccount(prisma, { userId: user.id, signup: await context.signup.current() }, body.userId);
    const target = visible ? await prisma.user.findFirst({ where: { id: body.userId, deactivatedAt: null }, select: { id: true } }) : null;
    if (!target) return errorResponse("not_found", "No such account.");
    if ((await accountRole(prisma, target.id, id)) === null) {
      return jsonResponse({ notified: false, hasAccess: false, canShare: canShare(guard.access.role) });
    }
    const notification = await notify(prisma, { recipientId: target.id, kind: "mention", documentId: id, actorId: user.id, actorName: user.name, excerpt });
    return jsonResponse({ notified: notification !== null, hasAccess: true, canShare: canShare(guard.access.role) });
  } catch (error) {
    return storeUnavailable("mention", error);
  }
}
