// GET /api/documents: list (newest first). POST /api/documents: create, 201 {id, title}.
import { createDocument, listDocuments } from "@/server/documents/documentRepository";
import { documentJson, errorResponse, jsonResponse, readJsonBody } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const result = await listDocuments();
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse({
    documents: result.value.map((d) => ({ id: d.id, title: d.title, updatedAt: d.updatedAt.toISOString() })),
  });
}

export async function POST(request: Request): Promise<Response> {
  const body = await readJsonBody(request);
  if (body === null) return errorResponse("bad_request", "Body must be a JSON object.");
  const result = await createDocument(body.title);
  if (!result.ok) return errorResponse(result.code, result.message);
  const document = documentJson(result.value);
  return jsonResponse(document, 201);
}
