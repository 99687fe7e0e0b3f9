// Attribution for the whole process: loads each room's client id owners with the room
// (Rooms), and answers "who owns which client id" for a document, live or not (the authors
// API, the history diff's colours).
import type { SqlClient } from "../db/SqlClient.ts";
import type { Logger } from "../log.ts";
import { ClientOwnerStore, type ClientOwnerRecord } from "./ClientOwnerStore.ts";
import { RoomAuthors } from "./RoomAuthors.ts";

export class Authorship {
  readonly store: ClientOwnerStore;
  /** The rooms loaded here, for reads that must include owners not saved yet. */
  private readonly live = new Map<string, RoomAuthors>();

  constructor(
    sql: SqlClient,
    private readonly log: Logger,
  ) {
    this.store = new ClientOwnerStore(sql);
  }

  /** The owners of a room being loaded. */
  async open(documentId: string): Promise<RoomAuthors> {
    const authors = new RoomAuthors(documentId, await this.store.load(documentId), this.store, this.log);
    this.live.set(documentId, authors);
    return authors;
  }

  /** Drops a room that unloaded (after its owners were flushed). */
  forget(authors: RoomAuthors): void {
    if (this.live.get(authors.documentId) === authors) this.live.delete(authors.documentId);
    authors.dispose();
  }

  /** Every owner of the document's client ids: stored, and those this instance has not saved yet. */
  async read(documentId: string): Promise<ClientOwnerRecord[]> {
    const stored = await this.store.load(documentId);
    const live = this.live.get(documentId);
    if (!live) return stored;
    const merged = new Map(stored.map((record) => [record.clientId, record]));
    for (const record of live.records()) {
      const before = merged.get(record.clientId);
      if (!before || before.key === record.key) merged.set(record.clientId, record);
    }
    return [...merged.values()];
  }
}
