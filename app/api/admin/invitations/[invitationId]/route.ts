// DELETE /api/admin/invitations/<id>: revokes a pending invitation (admins only); its link
// stops working at once.
import { getAccessContext } from "@/server/access/accessContext";
import { guardAdminRequest } from "@/server/admin/adminHttp";
import { revokeInvitation } from "@/server/auth/invitations";
import { errorResponse } from "@/server/documents/documentHttp";

export async function DELETE(request: Request, { params }: { params: Promise<{ invitationId: string }> }): Promise<Response> {
  const { invitationId } = await params;
  const guard = await guardAdminRequest(request, { mutation: true });
  if (!guard.ok) return guard.response;
  if (!(await revokeInvitation(getAccessContext().prisma, invitationId))) {
    return errorResponse("not_found", "No pending invitation with that id (it may have been used, revoked or expired).");
  }
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}
