// GET /api/documents/<id>/versions: the document's versions, newest first, with their authors
// (editors and owners; viewers and commenters unless the owner turned it off).
// POST /api/documents/<id>/versions {name}: saves the document as it is now as a named version,
// kept for ever (editors and owners), 201 {version}.
// PATCH /api/documents/<id>/versions {readersMayBrowse}: whether viewers and commenters may
// browse the history (owners).
// Callers are the signed-in account and/or a share link (x-share-token header or ?token=).
import { z } from "zod";
import { canEdit, canShare } from "@/lib/access/roles";
import { jsonResponse } from "@/server/documents/documentHttp";
import { readBody, withoutControlCharacters } from "@/server/http/requestBody";
import { anyRole } from "@/server/documents/withDocument";
import { liveVersionHistory, MAX_VERSION_NAME_LENGTH, withHistory } from "@/server/history/versionHttp";
import { getLiveHistory } from "@/server/history/liveHistory";

const NAME_REQUIRED = "Give the version a name.";
const NamedVersionBody = z.object(
  {
    name: z
      .string({ error: NAME_REQUIRED })
      .trim()
      .min(1, { error: NAME_REQUIRED })
      .max(MAX_VERSION_NAME_LENGTH, { error: `A version's name has at most ${MAX_VERSION_NAME_LENGTH} characters.` })
      .check(withoutControlCharacters("name")),
  },
  { error: "Body must be a JSON object." },
);

const SETTING_MESSAGE = 'Send {"readersMayBrowse": true or false}.';
const HistorySettingBody = z.object({ readersMayBrowse: z.boolean({ error: SETTING_MESSAGE }) }, { error: SETTING_MESSAGE });

export const GET = withHistory(anyRole, { operation: "version list" }, async ({ id, access, readersMayBrowse }) => {
  const versions = await liveVersionHistory().list(id);
  return jsonResponse({ versions, canRestore: canEdit(access.role), canChangeSetting: canShare(access.role), readersMayBrowse });
});

export const POST = withHistory(canEdit, { mutation: true, operation: "version save" }, async ({ request, id }) => {
  const read = await readBody(request, NamedVersionBody);
  if (!read.ok) return read.response;
  return jsonResponse({ version: await liveVersionHistory().saveNamed(id, read.body.name) }, 201);
});

export const PATCH = withHistory(canShare, { mutation: true, operation: "history setting" }, async ({ request, id }) => {
  const read = await readBody(request, HistorySettingBody);
  if (!read.ok) return read.response;
  await getLiveHistory().store.setReadersMayBrowse(id, read.body.readersMayBrowse);
  return jsonResponse({ readersMayBrowse: read.body.readersMayBrowse });
});
