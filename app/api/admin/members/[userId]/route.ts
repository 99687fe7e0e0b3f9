// PATCH /api/admin/members/<userId> {role?, workspaceRole?, deactivated?}: an admin changes an
// account. Lowering access or deactivating reaches the person's open sockets at once.
import { getAccessContext } from "@/server/access/accessContext";
import { guardAdminRequest } from "@/server/admin/adminHttp";
import { changeWorkspaceMember, MemberChangeBody, memberJson, MemberChangeRefused } from "@/server/admin/workspaceMembers";
import { errorResponse, jsonResponse } from "@/server/documents/documentHttp";
import { readBody } from "@/server/http/requestBody";

export async function PATCH(request: Request, { params }: { params: Promise<{ userId: string }> }): Promise<Response> {
  const { userId } = await params;
  const guard = await guardAdminRequest(request, { mutation: true });
  if (!guard.ok) return guard.response;
  const read = await readBody(request, MemberChangeBody);
  if (!read.ok) return read.response;
  const change = read.body;
  const context = getAccessContext();
  try {
    const { member, accessLowered } = await changeWorkspaceMember(context.prisma, guard.admin.id, userId, change);
    if (accessLowered) context.changes.publishAll();
    return jsonResponse({ member: memberJson(member) });
  } catch (error) {
    if (error instanceof MemberChangeRefused) return errorResponse(error.code === "not_found" ? "not_found" : "conflict", error.message);
    throw error;
  }
}
