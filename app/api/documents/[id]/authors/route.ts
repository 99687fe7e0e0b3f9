// GET /api/documents/<id>/authors: who owns each Yjs client id of the document, for anyone who
// may open it (a share link's token too): {authors: [{clientId, userId, name, color,
// firstSeen, lastSeen, times}]}. The editor maps each paragraph's items to these to show who
// wrote it and when (lib/attribution/authors.ts).
import { readClientOwners } from "@/server/attribution/clientOwners";
import { guardDocumentRequest, jsonResponse, storeUnavailable, type DocumentRouteContext } from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: DocumentRouteContext): Promise<Response> {
  const { id } = await params;
  const guard = await guardDocumentRequest(request, id, (role) => role !== null, { withShareToken: true });
  if (!guard.ok) return guard.response;
  try {
    return jsonResponse({ authors: await readClientOwners(id) });
  } catch (error) {
    return storeUnavailable("authors", error);
  }
}
