// The document_client_owners table: which person owns which Yjs client id of a document.
// Read once when a room loads; written in batches by RoomAuthors (new owners within a fraction
// of a second, last-seen times and checkpoints about once a minute), never per update.
import type { SqlClient } from "../db/SqlClient.ts";

/** Who an owner is: the key the ownership check compares (an account id, or `link:<id>` for a
 *  share link's guests), the account (null for guests) and the name shown. */
export interface AuthorIdentity {
  key: string;
  userId: string | null;
  name: string;
}

export interface ClientOwnerRecord extends AuthorIdentity {
  clientId: number;
  firstSeen: number;
  lastSeen: number;
  times: [number, number][];
}

interface Row {
  client_id: string | number | bigint;
  user_id: string | null;
  owner_key: string;
  name: string;
  first_seen: Date | string;
  last_seen: Date | string;
  times: string;
}

export class ClientOwnerStore {
  constructor(private readonly sql: SqlClient) {}

  async load(documentId: string): Promise<ClientOwnerRecord[]> {
    const rows = await this.sql.query<Row>(
      // An account's current name (it may have changed since it first wrote).
      `SELECT o.client_id, o.user_id, o.owner_key, COALESCE(u.name, o.name) AS name, o.first_seen, o.last_seen, o.times
         FROM document_client_owners o LEFT JOIN users u ON u.id = o.user_id
        WHERE o.document_id = $1`,
      [documentId],
    );
    return rows.map(toRecord);
  }

  /**
   * Inserts new owners and updates the last-seen time and checkpoints of known ones — only
   * where the stored owner is the same person. Returns the client ids whose stored owner is
   * someone else (claimed first through another instance): the caller takes the stored owner.
   */
  async save(documentId: string, records: readonly ClientOwnerRecord[]): Promise<Map<number, ClientOwnerRecord>> {
    if (records.length === 0) return new Map();
    const written = await this.sql.query<{ client_id: string | number | bigint }>(
      `INSERT INTO document_client_owners (document_id, client_id, user_id, owner_key, name, first_seen, last_seen, times)
       SELECT $1, c, u, k, n, f, l, t
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[]) AS r(c, u, k, n, f, l, t)
       ON CONFLICT (document_id, client_id) DO UPDATE
         SET last_seen = GREATEST(document_client_owners.last_seen, EXCLUDED.last_seen), times = EXCLUDED.times
         WHERE document_client_owners.owner_key = EXCLUDED.owner_key
       RETURNING client_id`,
      [
        documentId,
        records.map((r) => String(r.clientId)),
        records.map((r) => r.userId),
        records.map((r) => r.key),
        records.map((r) => r.name),
        records.map((r) => new Date(r.firstSeen)),
        records.map((r) => new Date(r.lastSeen)),
        records.map((r) => JSON.stringify(r.times)),
      ],
    );
    const ok = new Set(written.map((row) => Number(row.client_id)));
    const lost = records.filter((r) => !ok.has(r.clientId)).map((r) => String(r.clientId));
    if (lost.length === 0) return new Map();
    const rows = await this.sql.query<Row>(
      `SELECT client_id, user_id, owner_key, name, first_seen, last_seen, times FROM document_client_owners
        WHERE document_id = $1 AND client_id = ANY($2::bigint[])`,
      [documentId, lost],
    );
    return new Map(rows.map((row) => [Number(row.client_id), toRecord(row)]));
  }
}

function toRecord(row: Row): ClientOwnerRecord {
  let times: [number, number][] = [];
  try {
    const parsed: unknown = JSON.parse(row.times);
    if (Array.isArray(parsed)) times = parsed.filter((t): t is [number, number] => Array.isArray(t) && t.length === 2 && t.every(Number.isFinite));
  } catch {
    // a damaged column loses only the times
  }
  return {
    clientId: Number(row.client_id),
    userId: row.user_id,
    key: row.owner_key,
    name: row.name,
    firstSeen: new Date(row.first_seen).getTime(),
    lastSeen: new Date(row.last_seen).getTime(),
    times,
  };
}
