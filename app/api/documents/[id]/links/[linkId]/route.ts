// DELETE /api/documents/<id>/links/<linkId>: revoke a link (owners only). Open sockets using
// it are closed within moments, on every instance (server/access/AccessChanges.ts).
import { canShare } from "@/lib/access/roles";
import { revokeShareLink } from "@/server/access/shareLinks";
import { errorResponse, jsonResponse, refuseControlCharacters } from "@/server/documents/documentHttp";
import { withDocument } from "@/server/documents/withDocument";

export const DELETE = withDocument<{ linkId: string }>(
  canShare,
  { mutation: true, operation: "share link revocation" },
  async ({ id, params: { linkId }, context }) => {
    const refused = refuseControlCharacters("linkId", linkId);
    if (refused) return refused;
    if (!(await revokeShareLink(context.prisma, id, linkId))) return errorResponse("not_found", "No such link.");
    context.changes.publish(id);
    return jsonResponse({ revoked: true });
  },
);
