// DELETE /api/documents/<id>/links/<linkId>: revoke a link (owners only). Open sockets using
// it are closed within moments, on every instance (server/access/AccessChanges.ts).
import { isValidDocumentId } from "@/lib/documentId";
import { canShare } from "@/lib/access/roles";
import { getAccessContext } from "@/server/access/accessContext";
import { documentAccess, isCrossOrigin } from "@/server/access/requestAccess";
import { revokeShareLink } from "@/server/access/shareLinks";
import { crossOriginRefused, accessDenied, errorResponse, jsonResponse } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string; linkId: string }>;
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  if (isCrossOrigin(request)) return crossOriginRefused();
  const { id, linkId } = await params;
  if (!isValidDocumentId(id)) return errorResponse("invalid_id", "Invalid document id.");
  const access = await documentAccess(request.headers, id, null);
  if (!canShare(access.role)) return accessDenied(access.user !== null);
  const context = getAccessContext();
  if (!(await revokeShareLink(context.prisma, id, linkId))) return errorResponse("not_found", "No such link.");
  context.changes.publish(id);
  return jsonResponse({ revoked: true });
}
