// GET /api/documents/<id>/members: people with a role on the document (owners only).
// POST /api/documents/<id>/members {email, role}: grant or change an account's role. Lowering
// a role reaches that person's open sockets at once (server/access/AccessChanges.ts).
import { isValidDocumentId } from "@/lib/documentId";
import { canShare, isGrantableRole } from "@/lib/access/roles";
import { getAccessContext } from "@/server/access/accessContext";
import { documentAccess, isCrossOrigin } from "@/server/access/requestAccess";
import { grantMember, listMembers } from "@/server/access/documentMembers";
import { accessDenied, crossOriginRefused, errorResponse, jsonResponse, readJsonBody } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  if (!isValidDocumentId(id)) return errorResponse("invalid_id", "Invalid document id.");
  const access = await documentAccess(request.headers, id, null);
  if (!canShare(access.role)) return accessDenied(access.user !== null);
  return jsonResponse({ members: await listMembers(getAccessContext().prisma, id) });
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  if (isCrossOrigin(request)) return crossOriginRefused();
  const { id } = await params;
  if (!isValidDocumentId(id)) return errorResponse("invalid_id", "Invalid document id.");
  const access = await documentAccess(request.headers, id, null);
  if (!canShare(access.role)) return accessDenied(access.user !== null);
  const body = await readJsonBody(request);
  if (body === null || typeof body.email !== "string") return errorResponse("bad_request", "email is required.");
  if (!isGrantableRole(body.role)) return errorResponse("bad_request", "role must be viewer, commenter or editor.");
  const context = getAccessContext();
  const member = await grantMember(context.prisma, id, body.email, body.role);
  if (!member) return errorResponse("not_found", "No account has that email. Invite them first.");
  context.changes.publish(id);
  return jsonResponse({ member }, 201);
}
