// DELETE /api/documents/<id>/members/<userId>: remove someone's role on the document (owners
// only); their open sockets are closed at once.
import { canShare } from "@/lib/access/roles";
import { getAccessContext } from "@/server/access/accessContext";
import { removeMember } from "@/server/access/documentMembers";
import {
  errorResponse,
  guardDocumentRequest,
  jsonResponse,
  refuseControlCharacters,
  type DocumentRouteContext,
} from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function DELETE(request: Request, { params }: DocumentRouteContext<{ userId: string }>): Promise<Response> {
  const { id, userId } = await params;
  const guard = await guardDocumentRequest(request, id, canShare, { mutation: true });
  if (!guard.ok) return guard.response;
  const refused = refuseControlCharacters("userId", userId);
  if (refused) return refused;
  const context = getAccessContext();
  if (!(await removeMember(context.prisma, id, userId))) return errorResponse("not_found", "Not a member.");
  context.changes.publish(id);
  return jsonResponse({ removed: true });
}
