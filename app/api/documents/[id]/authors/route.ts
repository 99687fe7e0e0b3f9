// GET /api/documents/<id>/authors: who owns each Yjs client id of the document, for anyone who
// may open it (a share link's token too): {authors: [{clientId, userId, name, color,
// firstSeen, lastSeen, times}]}. The editor maps each paragraph's items to these to show who
// wrote it and when (lib/attribution/authors.ts).
import { readClientOwners } from "@/server/attribution/clientOwners";
import { jsonResponse } from "@/server/documents/documentHttp";
import { anyRole, withDocument } from "@/server/documents/withDocument";

export const GET = withDocument(anyRole, { withShareToken: true, operation: "authors" }, async ({ id }) =>
  jsonResponse({ authors: await readClientOwners(id) }),
);
