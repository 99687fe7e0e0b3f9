// POST /api/documents/<id>/restore: take a document out of Trash (owners; admins); its links
// and roles work again. 409 when it is not in Trash.
import { canShare } from "@/lib/access/roles";
import { restoreDocument } from "@/server/documents/documentTrash";
import { errorResponse, guardDocumentRequest, jsonResponse, type DocumentRouteContext } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, canShare, { mutation: true, allowTrashed: true });
  if (!guard.ok) return guard.response;
  const result = await restoreDocument(id);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse({ id, restored: true });
}
