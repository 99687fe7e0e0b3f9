// DELETE /api/documents/<id>/members/<userId>: remove someone's role on the document (owners
// only); their open sockets are closed at once.
import { isValidDocumentId } from "@/lib/documentId";
import { canShare } from "@/lib/access/roles";
import { getAccessContext } from "@/server/access/accessContext";
import { documentAccess, isCrossOrigin } from "@/server/access/requestAccess";
import { removeMember } from "@/server/access/documentMembers";
import { accessDenied, crossOriginRefused, errorResponse, jsonResponse } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string; userId: string }>;
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  if (isCrossOrigin(request)) return crossOriginRefused();
  const { id, userId } = await params;
  if (!isValidDocumentId(id)) return errorResponse("invalid_id", "Invalid document id.");
  const access = await documentAccess(request.headers, id, null);
  if (!canShare(access.role)) return accessDenied(access.user !== null);
  const context = getAccessContext();
  if (!(await removeMember(context.prisma, id, userId))) return errorResponse("not_found", "Not a member.");
  context.changes.publish(id);
  return jsonResponse({ removed: true });
}
