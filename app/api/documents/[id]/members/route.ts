// GET /api/documents/<id>/members: people with a role on the document (owners only).
// POST /api/documents/<id>/members {email, role}: grant or change an account's role. Lowering
// a role reaches that person's open sockets at once (server/access/AccessChanges.ts).
import { canShare, isGrantableRole } from "@/lib/access/roles";
import { getAccessContext } from "@/server/access/accessContext";
import { grantMember, listMembers } from "@/server/access/documentMembers";
import { errorResponse, guardDocumentRequest, jsonResponse, readJsonBody, type DocumentRouteContext } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, canShare);
  if (!guard.ok) return guard.response;
  return jsonResponse({ members: await listMembers(getAccessContext().prisma, id) });
}

export async function POST(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, canShare, { mutation: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request);
  if (body === null || typeof body.email !== "string") return errorResponse("bad_request", "email is required.");
  if (!isGrantableRole(body.role)) return errorResponse("bad_request", "role must be viewer, commenter or editor.");
  const context = getAccessContext();
  const member = await grantMember(context.prisma, id, body.email, body.role);
  if (!member) return errorResponse("not_found", "No account has that email. Invite them first.");
  context.changes.publish(id);
  return jsonResponse({ member }, 201);
}
