// GET /api/documents/<id>/versions/<versionId>?compare=previous|current: one version as editor
// JSON (read-only), with what changed against the version before it (the default) or against
// the current document marked, and who made those changes. Same roles as the list.
import { errorResponse, jsonResponse } from "@/server/documents/documentHttp";
import { anyRole } from "@/server/documents/withDocument";
import { liveVersionHistory, refuseVersionId, withHistory } from "@/server/history/versionHttp";

export const GET = withHistory<{ versionId: string }>(anyRole, { operation: "version open" }, async ({ request, id, params: { versionId } }) => {
  const refused = refuseVersionId(versionId);
  if (refused) return refused;
  const compare = new URL(request.url).searchParams.get("compare") ?? "previous";
  if (compare !== "previous" && compare !== "current") return errorResponse("bad_request", "compare must be previous or current.");
  return jsonResponse(await liveVersionHistory().open(id, versionId, compare));
});
