// GET /api/admin/members: every account of the workspace with its roles, state and last
// activity (admins only).
import { getAccessContext } from "@/server/access/accessContext";
import { guardAdminRequest } from "@/server/admin/adminHttp";
import { listWorkspaceMembers, memberJson } from "@/server/admin/workspaceMembers";
import { jsonResponse, storeUnavailable } from "@/server/documents/documentHttp";

export async function GET(request: Request): Promise<Response> {
  const guard = await guardAdminRequest(request);
  if (!guard.ok) return guard.response;
  try {
    const members = await listWorkspaceMembers(getAccessContext().prisma);
    return jsonResponse({ members: members.map(memberJson) });
  } catch (error) {
    return storeUnavailable("member list", error);
  }
}
