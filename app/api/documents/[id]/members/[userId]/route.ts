// DELETE /api/documents/<id>/members/<userId>: remove someone's role on the document (owners
// only); their open sockets are closed at once.
import { canShare } from "@/lib/access/roles";
import { removeMember } from "@/server/access/documentMembers";
import { errorResponse, jsonResponse, refuseControlCharacters } from "@/server/documents/documentHttp";
import { withDocument } from "@/server/documents/withDocument";

export const DELETE = withDocument<{ userId: string }>(
  canShare,
  { mutation: true, operation: "member removal" },
  async ({ id, params: { userId }, context }) => {
    const refused = refuseControlCharacters("userId", userId);
    if (refused) return refused;
    if (!(await removeMember(context.prisma, id, userId))) return errorResponse("not_found", "Not a member.");
    context.changes.publish(id);
    return jsonResponse({ removed: true });
  },
);
