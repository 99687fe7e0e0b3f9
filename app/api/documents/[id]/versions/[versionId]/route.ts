// GET /api/documents/<id>/versions/<versionId>?compare=previous|current: one version as editor
// JSON (read-only), with what changed against the version before it (the default) or against
// the current document marked, and who made those changes. Same roles as the list.
import { errorResponse, jsonResponse, type DocumentRouteContext } from "@/server/documents/documentHttp";
import { guardHistoryRequest, historyErrorResponse, liveVersionHistory, refuseVersionId } from "@/server/history/versionHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: DocumentRouteContext<{ versionId: string }>): Promise<Response> {
  const { id, versionId } = await params;
  const guard = await guardHistoryRequest(request, id, (role) => role !== null);
  if (!guard.ok) return guard.response;
  const refused = refuseVersionId(versionId);
  if (refused) return refused;
  const compare = new URL(request.url).searchParams.get("compare") ?? "previous";
  if (compare !== "previous" && compare !== "current") return errorResponse("bad_request", "compare must be previous or current.");
  try {
    return jsonResponse(await liveVersionHistory().open(id, versionId, compare));
  } catch (error) {
    return historyErrorResponse("version open", error);
  }
}
