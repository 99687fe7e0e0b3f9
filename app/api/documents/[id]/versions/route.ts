// GET /api/documents/<id>/versions: the document's versions, newest first, with their authors
// (editors and owners; viewers and commenters unless the owner turned it off).
// POST /api/documents/<id>/versions {name}: saves the document as it is now as a named version,
// kept for ever (editors and owners), 201 {version}.
// PATCH /api/documents/<id>/versions {readersMayBrowse}: whether viewers and commenters may
// browse the history (owners).
// Callers are the signed-in account and/or a share link (x-share-token header or ?token=).
import { canEdit, canShare } from "@/lib/access/roles";
import { errorResponse, jsonResponse, readJsonBody, refuseControlCharacters } from "@/server/documents/documentHttp";
import { anyRole } from "@/server/documents/withDocument";
import { liveVersionHistory, MAX_VERSION_NAME_LENGTH, withHistory } from "@/server/history/versionHttp";
import { getLiveHistory } from "@/server/history/liveHistory";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withHistory(anyRole, { operation: "version list" }, async ({ id, access, readersMayBrowse }) => {
  const versions = await liveVersionHistory().list(id);
  return jsonResponse({ versions, canRestore: canEdit(access.role), canChangeSetting: canShare(access.role), readersMayBrowse });
});

export const POST = withHistory(canEdit, { mutation: true, operation: "version save" }, async ({ request, id }) => {
  const body = await readJsonBody(request);
  if (body === null) return errorResponse("bad_request", "Body must be a JSON object.");
  const name = typeof body.name === "string" ? body.name.trim() : null;
  if (!name) return errorResponse("bad_request", "Give the version a name.");
  if (name.length > MAX_VERSION_NAME_LENGTH) return errorResponse("bad_request", `A version's name has at most ${MAX_VERSION_NAME_LENGTH} characters.`);
  const refused = refuseControlCharacters("name", name);
  if (refused) return refused;
  return jsonResponse({ version: await liveVersionHistory().saveNamed(id, name) }, 201);
});

export const PATCH = withHistory(canShare, { mutation: true, operation: "history setting" }, async ({ request, id }) => {
  const body = await readJsonBody(request);
  if (body === null || typeof body.readersMayBrowse !== "boolean") return errorResponse("bad_request", "Send {\"readersMayBrowse\": true or false}.");
  await getLiveHistory().store.setReadersMayBrowse(id, body.readersMayBrowse);
  return jsonResponse({ readersMayBrowse: body.readersMayBrowse });
});
