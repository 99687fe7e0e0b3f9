// GET /api/documents/<id>/people?q=<name>: whom a comment may mention (server/comments/
// mentionCandidates.ts): people who can open the document, and for owners also accounts that
// cannot, marked hasAccess: false (the page offers to share with them). Any role.
import { canShare } from "@/lib/access/roles";
import { getAccessContext } from "@/server/access/accessContext";
import { mentionCandidates } from "@/server/comments/mentionCandidates";
import { guardDocumentRequest, jsonResponse, storeUnavailable, type DocumentRouteContext } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { withShareToken: true });
  if (!guard.ok) return guard.response;
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const context = getAccessContext();
  try {
    const people = await mentionCandidates(context.prisma, id, query, {
      userId: guard.access.user?.id ?? null,
      isOwner: canShare(guard.access.role),
      signup: await context.signup.current(),
    });
    return jsonResponse({ people });
  } catch (error) {
    return storeUnavailable("people lookup", error);
  }
}
