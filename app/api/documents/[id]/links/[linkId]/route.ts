// DELETE /api/documents/<id>/links/<linkId>: revoke a link (owners only). Open sockets using
// it are closed within moments, on every instance (server/access/AccessChanges.ts).
import { canShare } from "@/lib/access/roles";
import { getAccessContext } from "@/server/access/accessContext";
import { revokeShareLink } from "@/server/access/shareLinks";
import {
  errorResponse,
  guardDocumentRequest,
  jsonResponse,
  refuseControlCharacters,
  type DocumentRouteContext,
} from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function DELETE(request: Request, { params }: DocumentRouteContext<{ linkId: string }>): Promise<Response> {
  const { id, linkId } = await params;
  const guard = await guardDocumentRequest(request, id, canShare, { mutation: true });
  if (!guard.ok) return guard.response;
  const refused = refuseControlCharacters("linkId", linkId);
  if (refused) return refused;
  const context = getAccessContext();
  if (!(await revokeShareLink(context.prisma, id, linkId))) return errorResponse("not_found", "No such link.");
  context.changes.publish(id);
  return jsonResponse({ revoked: true });
}
