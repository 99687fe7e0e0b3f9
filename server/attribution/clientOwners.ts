// "Who owns which Yjs client id" of a document, for whatever shows authorship: the authors API
// (the editor's paragraph hover) and the history diff's colours. Includes owners this instance
// has not saved yet.
import type { ClientAuthor } from "../../lib/attribution/authors.ts";
import { colorForId } from "../../lib/editor/userIdentity.ts";
import { getDatabase } from "../db/getDatabase.ts";
import { getLiveRooms } from "../collab/liveRooms.ts";
import { ClientOwnerStore } from "./ClientOwnerStore.ts";

export async function readClientOwners(documentId: string): Promise<ClientAuthor[]> {
  let authorship = null;
  try {
    authorship = getLiveRooms().authorship;
  } catch {
    // no collab server in this process: the stored owners are all there is
  }
  const records = authorship ? await authorship.read(documentId) : await new ClientOwnerStore((await getDatabase()).sql).load(documentId);
  return records.map((record) => ({
    clientId: record.clientId,
    userId: record.userId,
    name: record.name || "Unknown",
    color: colorForId(record.userId ?? record.key),
    firstSeen: new Date(record.firstSeen).toISOString(),
    lastSeen: new Date(record.lastSeen).toISOString(),
    times: record.times,
  }));
}
