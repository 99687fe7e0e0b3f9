// HTTP side of the version history (app/api/documents/[id]/versions/...): who may browse and
// restore, and the answers particular to it, in the API's `{ error: { code, message } }` shape.
import { canEdit, type Role } from "../../lib/access/roles.ts";
import { errorResponse, storeUnavailable, type DocumentRouteContext } from "../documents/documentHttp.ts";
import { withDocument, type DocumentCall } from "../documents/withDocument.ts";
import { getLiveRooms } from "../collab/liveRooms.ts";
import { getLiveConversions } from "../documents/conversion/liveConversions.ts";
import { conversionErrorResponse, contentApplyError } from "../documents/contentHttp.ts";
import { getLiveHistory } from "./liveHistory.ts";
import { VersionHistory, VersionNotFound } from "./versionHistory.ts";

/** Longest name of a version saved by hand. */
export const MAX_VERSION_NAME_LENGTH = 100;
const VERSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The process's version history (route handlers). */
export function liveVersionHistory(): VersionHistory {
  return new VersionHistory(getLiveHistory(), getLiveRooms(), getLiveConversions());
}

/** Editors and owners always may browse; viewers and commenters unless the owner turned it off. */
export function canBrowseHistory(role: Role | null, readersMayBrowse: boolean): boolean {
  return canEdit(role) || (role !== null && readersMayBrowse);
}

/** A history request once the document's guard let it through, with the document's setting. */
export interface HistoryCall<Extra extends Record<string, string>> extends DocumentCall<Extra> {
  readersMayBrowse: boolean;
}

/**
 * A route handler for /api/documents/<id>/versions/...: the document's guard (session or share
 * token) with `allowed`, then, for browsing, the document's setting; a failure of the history's
 * operations gets its own answer (a missing version 404, a busy converter 503).
 */
export function withHistory<Extra extends Record<string, string> = Record<never, never>>(
  allowed: (role: Role | null) => boolean,
  { mutation = false, operation }: { mutation?: boolean; operation: string },
  handler: (call: HistoryCall<Extra>) => Promise<Response>,
): (request: Request, route: DocumentRouteContext<Extra>) => Promise<Response> {
  return withDocument<Extra>(allowed, { mutation, withShareToken: true, operation, failure: historyFailure }, async (call) => {
    let readersMayBrowse: boolean | null;
    try {
      readersMayBrowse = await getLiveHistory().store.readersMayBrowse(call.id);
    } catch (error) {
      return storeUnavailable("history setting", error);
    }
    if (readersMayBrowse === null) return errorResponse("not_found", "Document not found.");
    if (!canBrowseHistory(call.access.role, readersMayBrowse)) {
      return errorResponse("forbidden", "The owner of this document has turned its version history off for viewers and commenters.");
    }
    return handler({ ...call, readersMayBrowse });
  });
}

/** 404 for a version id that is malformed or not one of this document's versions; null when fine. */
export function refuseVersionId(versionId: string): Response | null {
  return VERSION_ID_PATTERN.test(versionId) ? null : versionNotFound();
}

export function versionNotFound(): Response {
  return errorResponse("not_found", new VersionNotFound().message);
}

/** The answer to a failure of the history's operations; null for a database failure. */
function historyFailure(error: unknown): Response | null {
  if (error instanceof VersionNotFound) return versionNotFound();
  return conversionErrorResponse(error) ?? contentApplyError(error);
}
