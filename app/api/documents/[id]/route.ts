// GET /api/documents/<id>: one document and the caller's role on it (any role).
// PATCH /api/documents/<id> {title}: rename (editors and owners).
// Callers are the signed-in account and/or a share link (x-share-token header or ?token=).
import { canEdit } from "@/lib/access/roles";
import { getDocument, renameDocument } from "@/server/documents/documentRepository";
import { documentJson, errorResponse, guardDocumentRequest, jsonResponse, readJsonBody, type DocumentRouteContext } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { withShareToken: true });
  if (!guard.ok) return guard.response;
  const result = await getDocument(id);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse({ ...documentJson(result.value), role: guard.access.role });
}

export async function PATCH(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, canEdit, { mutation: true, withShareToken: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request);
  if (body === null) return errorResponse("bad_request", "Body must be a JSON object.");
  if (!("title" in body)) return errorResponse("invalid_title", "Missing title.");
  const result = await renameDocument(id, body.title);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse(documentJson(result.value));
}
