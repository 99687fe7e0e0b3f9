// GET /api/documents/<id>: one document. PATCH /api/documents/<id> {title}: rename.
import { isValidDocumentId } from "@/lib/documentId";
import { getDocument, renameDocument } from "@/server/documents/documentRepository";
import { documentJson, errorResponse, jsonResponse, readJsonBody } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Next 16: dynamic route params arrive as a Promise.
interface Context {
  params: Promise<{ id: string }>;
}

export async function GET(_request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  if (!isValidDocumentId(id)) return errorResponse("invalid_id", "Invalid document id.");
  const result = await getDocument(id);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse(documentJson(result.value));
}

export async function PATCH(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  if (!isValidDocumentId(id)) return errorResponse("invalid_id", "Invalid document id.");
  const body = await readJsonBody(request);
  if (body === null) return errorResponse("bad_request", "Body must be a JSON object.");
  if (!("title" in body)) return errorResponse("invalid_title", "Missing title.");
  const result = await renameDocument(id, body.title);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse(documentJson(result.value));
}
