// DocumentStorage in plain SQL (server/db/SqlClient.ts) on the tables document_updates (log)
// and document_snapshots (compacted state) of prisma/schema.prisma. Not through the ORM: an
// append is the hottest query of the server, and Prisma's per-query work (query compiler in
// Wasm, whose memory only grows) cost more CPU and memory than the insert itself.

import * as Y from "yjs";
import type { SqlClient } from "../../db/SqlClient.ts";
import type { DocumentStorage } from "./DocumentStorage.ts";

/** Title given to a document first created by a collab connection rather than the UI. */
const DEFAULT_TITLE = "Untitled";
/** documents.updated_at is refreshed at most this often per document while it is edited. */
export const TOUCH_INTERVAL_MS = 10_000;
/** Bound on the remembered touch times; older entries are pruned beyond it. */
const MAX_TOUCH_ENTRIES = 10_000;

/** How long an append waits for appends of other documents to share its insert. */
export const APPEND_WINDOW_MS = 4;
/** Bound on one multi-row insert. */
const MAX_ROWS_PER_INSERT = 500;
/**
 * Compaction rewrites the whole snapshot, so it runs only once the log is as large as the
 * snapshot (or has many rows): each byte of update is then written at most about twice.
 */
const COMPACT_MIN_LOG_BYTES = 4 * 1024;
/** A log this short loads about as fast as a snapshot; rewriting the snapshot would not pay. */
const COMPACT_MIN_LOG_ROWS = 50;
const COMPACT_MAX_LOG_ROWS = 1_000;

interface PendingAppend {
  documentId: string;
  update: Uint8Array;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class SqlDocumentStorage implements DocumentStorage {
  /** When each document's metadata row was last upserted, so most appends skip it. */
  private readonly lastTouched = new Map<string, number>();
  /** Appends waiting for the insert in flight to finish. */
  private pending: PendingAppend[] = [];
  private inFlight: Promise<void> | null = null;
  /** Set while the first pending append waits for others to join its insert. */
  private windowTimer: NodeJS.Timeout | null = null;

  constructor(private readonly sql: SqlClient) {}

  async load(documentId: string): Promise<Uint8Array | null> {
    // Snapshot and log in one statement, so a concurrent compaction (another instance)
    // cannot move rows from the log into the snapshot between two reads.
    const rows = await this.sql.query<{ data: Uint8Array }>(
      `SELECT data FROM (
         SELECT state AS data, -1::bigint AS seq FROM document_snapshots WHERE document_id = $1
         UNION ALL
         SELECT update AS data, seq FROM document_updates WHERE document_id = $1
       ) parts ORDER BY seq`,
      [documentId],
    );
    const parts = rows.map((row) => row.data);
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
  }

  /**
   * Appends an update. Appends from all documents are batched: the first waits
   * APPEND_WINDOW_MS for others, and while one insert is in flight new ones wait for it; each
   * batch is one multi-row insert. One statement costs the server about 150 µs of CPU
   * (driver, system calls) and the database a parse and a commit, whether it carries one row
   * or fifty, so with many documents open the window pays for itself many times over.
   */
  append(documentId: string, update: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ documentId, update, resolve, reject });
      if (this.inFlight || this.windowTimer) return;
      this.windowTimer = setTimeout(() => {
        this.windowTimer = null;
        if (!this.inFlight && this.pending.length > 0) this.writePending();
      }, APPEND_WINDOW_MS);
    });
  }

  private writePending(): void {
    const entries = this.pending.splice(0, MAX_ROWS_PER_INSERT);
    this.inFlight = this.insert(entries).then(
      () => entries.forEach((entry) => entry.resolve()),
      (error: unknown) => entries.forEach((entry) => entry.reject(error)),
    );
    void this.inFlight.finally(() => {
      this.inFlight = null;
      if (this.pending.length > 0) this.writePending();
    });
  }

  private async insert(entries: PendingAppend[]): Promise<void> {
    const now = Date.now();
    const touch = [...new Set(entries.map((e) => e.documentId))].filter(
      (id) => now - (this.lastTouched.get(id) ?? 0) >= TOUCH_INTERVAL_MS,
    );
    const rows = entries.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(", ");
    const params: unknown[] = entries.flatMap((e) => [e.documentId, toBytes(e.update)]);
    // One statement, so one round trip and an implicit transaction: the hottest write of the
    // server pays no BEGIN/COMMIT of its own. The document rows are upserted in the same
    // statement when due; the foreign key sees them (it is checked at the statement's end).
    let touchClause = "";
    if (touch.length > 0) {
      // Creates the row when a client opened a room the UI never created (tests, tools),
      // and keeps "recently edited" ordering of the document list meaningful.
      const n = params.length;
      touchClause = `WITH touched AS (
         INSERT INTO documents (id, title, updated_at)
         SELECT id, $${n + 2}, $${n + 3} FROM unnest($${n + 1}::text[]) AS id
         ON CONFLICT (id) DO UPDATE SET updated_at = EXCLUDED.updated_at
       ) `;
      params.push(touch, DEFAULT_TITLE, new Date(now));
    }
    await this.sql.query(`${touchClause}INSERT INTO document_updates (document_id, update) VALUES ${rows}`, params);
    for (const id of touch) this.remember(id, now);
  }

  private remember(documentId: string, now: number): void {
    this.lastTouched.delete(documentId);
    this.lastTouched.set(documentId, now);
    if (this.lastTouched.size <= MAX_TOUCH_ENTRIES) return;
    // Map iteration is in insertion order: the first entries are the stalest.
    for (const [id, at] of this.lastTouched) {
      if (now - at < TOUCH_INTERVAL_MS || this.lastTouched.size <= MAX_TOUCH_ENTRIES / 2) break;
      this.lastTouched.delete(id);
    }
  }

  async compact(documentId: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      // Serialise compactions of one document across instances: two overlapping ones could
      // otherwise each write a snapshot missing rows the other deleted.
      await tx.query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS lock", [documentId]);
      const [sizes] = await tx.query<{ log_rows: number; log_bytes: number; largest_row_bytes: number | null; snapshot_bytes: number | null }>(
        `SELECT count(*)::int AS log_rows,
                coalesce(sum(octet_length(update)), 0)::float8 AS log_bytes,
                max(octet_length(update)) AS largest_row_bytes,
                (SELECT octet_length(state) FROM document_snapshots WHERE document_id = $1) AS snapshot_bytes
           FROM document_updates WHERE document_id = $1`,
        [documentId],
      );
      // Without a snapshot yet, the log's largest row (typically a whole document uploaded in
      // one go) plays its part: rewriting it as a snapshot pays only once the rest of the log
      // is as large, else the first compaction after an upload writes the whole document again
      // for a few small edits (24 bytes written per byte typed in a 30 s replay).
      const base = sizes.snapshot_bytes ?? sizes.largest_row_bytes ?? 0;
      const rest = sizes.snapshot_bytes === null ? sizes.log_bytes - base : sizes.log_bytes;
      const worthIt =
        sizes.log_rows >= COMPACT_MAX_LOG_ROWS ||
        (sizes.log_rows >= COMPACT_MIN_LOG_ROWS && rest >= Math.max(COMPACT_MIN_LOG_BYTES, base));
      if (!worthIt) return;
      const [snapshot] = await tx.query<{ state: Uint8Array }>("SELECT state FROM document_snapshots WHERE document_id = $1", [documentId]);
      // Ordered by the bigint column: ORDER BY a bare `seq` would sort by the text alias
      // ("10" before "9"), and rows applied out of order sit in Yjs' pending queue, re-merged
      // on every later row.
      const rows = await tx.query<{ seq: string; update: Uint8Array }>(
        "SELECT seq::text AS seq, update FROM document_updates WHERE document_id = $1 ORDER BY document_updates.seq",
        [documentId],
      );
      if (rows.length === 0) return;
      // Apply into a Y.Doc rather than Y.mergeUpdates so deleted content is garbage-collected.
      const doc = new Y.Doc();
      if (snapshot) Y.applyUpdate(doc, snapshot.state);
      for (const row of rows) Y.applyUpdate(doc, row.update);
      const state = Y.encodeStateAsUpdate(doc);
      const stateVector = Y.encodeStateVector(doc);
      doc.destroy();
      const seqs = rows.map((row) => row.seq);
      await tx.query(
        `INSERT INTO document_snapshots (document_id, state, state_vector, up_to_seq, updated_at)
         VALUES ($1, $2, $3, $4::bigint, now())
         ON CONFLICT (document_id) DO UPDATE
           SET state = EXCLUDED.state, state_vector = EXCLUDED.state_vector,
               up_to_seq = EXCLUDED.up_to_seq, updated_at = EXCLUDED.updated_at`,
        [documentId, toBytes(state), toBytes(stateVector), seqs[seqs.length - 1]],
      );
      // Delete exactly the rows merged: a row appended concurrently stays in the log.
      await tx.query("DELETE FROM document_updates WHERE document_id = $1 AND seq = ANY($2::text[]::bigint[])", [documentId, seqs]);
    });
  }

  async ping(): Promise<boolean> {
    try {
      await this.sql.query("SELECT 1");
      return true;
    } catch {
      return false;
    }
  }
}

/** A bytea parameter: pg wants a Buffer (a Uint8Array would be sent as text); Prisma accepts it too. */
function toBytes(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
