// POST /api/documents/<id>/versions/<versionId>/restore: the document reads like that version
// again, through a new change on top of the live document (editors and owners; everyone
// connected sees it; the history before it is kept). 200 {restored, version, updateBytes}:
// `version` is the new version the restore made.
import { canEdit } from "@/lib/access/roles";
import { jsonResponse } from "@/server/documents/documentHttp";
import { liveVersionHistory, refuseVersionId, withHistory } from "@/server/history/versionHttp";

export const POST = withHistory<{ versionId: string }>(
  canEdit,
  { mutation: true, operation: "version restore" },
  async ({ id, params: { versionId }, access }) => {
    const refused = refuseVersionId(versionId);
    if (refused) return refused;
    return jsonResponse(await liveVersionHistory().restore(id, versionId, access.user?.id ?? null));
  },
);
