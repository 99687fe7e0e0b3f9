// GET /api/documents/<id>: one document and the caller's role on it (any role).
// PATCH /api/documents/<id> {title}: rename (editors and owners).
// Callers are the signed-in account and/or a share link (x-share-token header or ?token=).
import { isValidDocumentId } from "@/lib/documentId";
import { canEdit } from "@/lib/access/roles";
import { documentAccess, requestShareToken, isCrossOrigin } from "@/server/access/requestAccess";
import { getDocument, renameDocument } from "@/server/documents/documentRepository";
import { crossOriginRefused, accessDenied, documentJson, errorResponse, jsonResponse, readJsonBody } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Next 16: dynamic route params arrive as a Promise.
interface Context {
  params: Promise<{ id: string }>;
}

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  if (!isValidDocumentId(id)) return errorResponse("invalid_id", "Invalid document id.");
  const access = await documentAccess(request.headers, id, requestShareToken(request));
  if (!access.role) return accessDenied(access.user !== null || access.link !== null);
  const result = await getDocument(id);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse({ ...documentJson(result.value), role: access.role });
}

export async function PATCH(request: Request, { params }: Context): Promise<Response> {
  if (isCrossOrigin(request)) return crossOriginRefused();
  const { id } = await params;
  if (!isValidDocumentId(id)) return errorResponse("invalid_id", "Invalid document id.");
  const access = await documentAccess(request.headers, id, requestShareToken(request));
  if (!canEdit(access.role)) return accessDenied(access.user !== null || access.link !== null);
  const body = await readJsonBody(request);
  if (body === null) return errorResponse("bad_request", "Body must be a JSON object.");
  if (!("title" in body)) return errorResponse("invalid_title", "Missing title.");
  const result = await renameDocument(id, body.title);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse(documentJson(result.value));
}
