// GET /api/documents: the documents the signed-in account can open (newest first).
// POST /api/documents: create one owned by the signed-in account, 201 {id, title}.
import { currentUser, isCrossOrigin } from "@/server/access/requestAccess";
import { createDocument, listDocuments } from "@/server/documents/documentRepository";
import { crossOriginRefused, accessDenied, documentJson, errorResponse, jsonResponse, readJsonBody } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const user = await currentUser(request.headers);
  if (!user) return accessDenied(false);
  const result = await listDocuments(user.id);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse({
    documents: result.value.map((d) => ({ id: d.id, title: d.title, updatedAt: d.updatedAt.toISOString() })),
  });
}

export async function POST(request: Request): Promise<Response> {
  if (isCrossOrigin(request)) return crossOriginRefused();
  const user = await currentUser(request.headers);
  if (!user) return accessDenied(false);
  const body = await readJsonBody(request);
  if (body === null) return errorResponse("bad_request", "Body must be a JSON object.");
  const result = await createDocument(user.id, body.title);
  if (!result.ok) return errorResponse(result.code, result.message);
  const document = documentJson(result.value);
  return jsonResponse(document, 201);
}
