// HTTP side of the version history (app/api/documents/[id]/versions/...): who may browse and
// restore, and the answers particular to it, in the API's `{ error: { code, message } }` shape.
import { canEdit, type Role } from "../../lib/access/roles.ts";
import { errorResponse, guardDocumentRequest, storeUnavailable } from "../documents/documentHttp.ts";
import type { DocumentAccess } from "../access/requestAccess.ts";
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

/**
 * The guard of every history request: the document's guard (session or share token) with
 * `allowed`, then, for browsing, the document's setting. Returns the access and the setting,
 * or the response refusing the request.
 */
export async function guardHistoryRequest(
  request: Request,
  id: string,
  allowed: (role: Role | null) => boolean,
  { mutation = false } = {},
): Promise<{ ok: true; access: DocumentAccess; readersMayBrowse: boolean } | { ok: false; response: Response }> {
  const guard = await guardDocumentRequest(request, id, allowed, { mutation, withShareToken: true });
  if (!guard.ok) return guard;
  let readersMayBrowse: boolean | null;
  try {
    readersMayBrowse = await getLiveHistory().store.readersMayBrowse(id);
  } catch (error) {
    return { ok: false, response: storeUnavailable("history setting", error) };
  }
  if (readersMayBrowse === null) return { ok: false, response: errorResponse("not_found", "Document not found.") };
  if (!canBrowseHistory(guard.access.role, readersMayBrowse)) {
    return { ok: false, response: errorResponse("forbidden", "The owner of this document has turned its version history off for viewers and commenters.") };
  }
  return { ok: true, access: guard.access, readersMayBrowse };
}

/** 404 for a version id that is malformed or not one of this document's versions; null when fine. */
export function refuseVersionId(versionId: string): Response | null {
  return VERSION_ID_PATTERN.test(versionId) ? null : versionNotFound();
}

export function versionNotFound(): Response {
  return errorResponse("not_found", new VersionNotFound().message);
}

/** The answer for an error from the history's operations. */
export function historyErrorResponse(operation: string, error: unknown): Response {
  if (error instanceof VersionNotFound) return versionNotFound();
  return conversionErrorResponse(error) ?? contentApplyError(error) ?? storeUnavailable(operation, error);
}
