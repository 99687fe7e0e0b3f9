// POST /api/documents/<id>/versions/<versionId>/restore: the document reads like that version
// again, through a new change on top of the live document (editors and owners; everyone
// connected sees it; the history before it is kept). 200 {restored, version, updateBytes}:
// `version` is the new version the restore made.
import { canEdit } from "@/lib/access/roles";
import { jsonResponse, type DocumentRouteContext } from "@/server/documents/documentHttp";
import { guardHistoryRequest, historyErrorResponse, liveVersionHistory, refuseVersionId } from "@/server/history/versionHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: DocumentRouteContext<{ versionId: string }>): Promise<Response> {
  const { id, versionId } = await params;
  const guard = await guardHistoryRequest(request, id, canEdit, { mutation: true });
  if (!guard.ok) return guard.response;
  const refused = refuseVersionId(versionId);
  if (refused) return refused;
  try {
    return jsonResponse(await liveVersionHistory().restore(id, versionId, guard.access.user?.id ?? null));
  } catch (error) {
    return historyErrorResponse("version restore", error);
  }
}
