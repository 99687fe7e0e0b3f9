// The document_versions table (prisma/schema.prisma) in plain SQL: appending a version to a
// document's chain, listing them, reading what rebuilds one, and thinning old ones
// (versionThinning.ts). Never touched by the update log's compaction.
import * as Y from "yjs";
import type { SqlClient } from "../db/SqlClient.ts";
import { generateId } from "../access/secrets.ts";
import { thinnedVersions, type ThinningCandidate } from "./versionThinning.ts";

export type VersionKind = "auto" | "named" | "restore";

/** A person whose edits a version contains. */
export interface VersionAuthor {
  /** The account id, or a guest's awareness id. */
  id: string;
  /** As shown when the edits were made (accounts' current names replace it when listed). */
  name: string | null;
  color: string | null;
  accountId: string | null;
  /** The Yjs client ids this person's edits used (to colour their insertions in a diff). */
  clientIds: number[];
}

export interface VersionSummary {
  id: string;
  seq: string;
  createdAt: Date;
  kind: VersionKind;
  name: string | null;
  authors: VersionAuthor[];
}

/** The latest row of a chain, which the next delta is taken against. */
export interface ChainTip {
  id: string;
  stateVector: Uint8Array;
  /** Bytes of the latest keyframe and of the deltas after it (they decide the next keyframe). */
  keyframeBytes: number;
  deltaBytes: number;
  deltaCount: number;
}

export interface NewVersion {
  kind: VersionKind;
  name: string | null;
  authors: VersionAuthor[];
  keyframe: boolean;
  data: Uint8Array;
  stateVector: Uint8Array;
}

/** What rebuilds a version: its keyframe and the deltas up to it, oldest first, with their seqs. */
export interface VersionChain {
  version: VersionSummary;
  parts: { seq: bigint; keyframe: boolean; data: Uint8Array }[];
}

/** Rows thinned per version made, so one pass stays short. */
const THIN_BATCH = 100;

interface SummaryRow {
  id: string;
  seq: string;
  created_at: Date;
  kind: VersionKind;
  name: string | null;
  authors: VersionAuthor[] | string;
}

// seq is read as text (a bigint); ORDER BY must name the column (document_versions.seq): a bare
// `seq` would sort by the text alias ("10" before "9").
const SUMMARY_COLUMNS = "id, seq::text AS seq, created_at, kind, name, authors";

function summaryOf(row: SummaryRow): VersionSummary {
  const authors = typeof row.authors === "string" ? (JSON.parse(row.authors) as VersionAuthor[]) : row.authors;
  return { id: row.id, seq: row.seq, createdAt: new Date(row.created_at), kind: row.kind, name: row.name, authors };
}

export class VersionStore {
  constructor(readonly sql: SqlClient) {}

  /**
   * Runs `work` with the document's chain locked (across instances: two versions made at once
   * would each be a delta against the same row) and its tip; `work` returns the version to
   * append, or null for none. Old versions are thinned in the same transaction.
   */
  async append(documentId: string, work: (tip: ChainTip | null) => NewVersion | null): Promise<VersionSummary | null> {
    return this.sql.transaction(async (tx) => {
      await tx.query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext('versions:' || $1))) AS lock", [documentId]);
      const tip = await this.tip(tx, documentId);
      const version = work(tip);
      if (!version) return null;
      const id = generateId();
      const [row] = await tx.query<SummaryRow>(
        `INSERT INTO document_versions (id, document_id, kind, name, authors, keyframe, data, state_vector)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) RETURNING ${SUMMARY_COLUMNS}`,
        [id, documentId, version.kind, version.name, JSON.stringify(version.authors), version.keyframe, toBytes(version.data), toBytes(version.stateVector)],
      );
      await this.thin(tx, documentId, Date.now());
      return summaryOf(row);
    });
  }

  private async tip(tx: SqlClient, documentId: string): Promise<ChainTip | null> {
    const [latest] = await tx.query<{ id: string; state_vector: Uint8Array }>(
      "SELECT id, state_vector FROM document_versions WHERE document_id = $1 ORDER BY document_versions.seq DESC LIMIT 1",
      [documentId],
    );
    if (!latest) return null;
    const [sizes] = await tx.query<{ keyframe_bytes: number | null; delta_bytes: number; delta_count: number }>(
      `WITH k AS (SELECT seq, octet_length(data) AS bytes FROM document_versions
                   WHERE document_id = $1 AND keyframe ORDER BY document_versions.seq DESC LIMIT 1)
       SELECT (SELECT bytes FROM k)::float8 AS keyframe_bytes,
              coalesce(sum(octet_length(v.data)), 0)::float8 AS delta_bytes, count(*)::int AS delta_count
         FROM document_versions v WHERE v.document_id = $1 AND NOT v.keyframe AND v.seq > (SELECT seq FROM k)`,
      [documentId],
    );
    return {
      id: latest.id,
      stateVector: latest.state_vector,
      keyframeBytes: sizes.keyframe_bytes ?? 0,
      deltaBytes: sizes.delta_bytes,
      deltaCount: sizes.delta_count,
    };
  }

  /** The latest version of the document (never thinned) and its state vector. */
  async latest(documentId: string): Promise<{ id: string; stateVector: Uint8Array } | null> {
    const [row] = await this.sql.query<{ id: string; state_vector: Uint8Array }>(
      "SELECT id, state_vector FROM document_versions WHERE document_id = $1 ORDER BY document_versions.seq DESC LIMIT 1",
      [documentId],
    );
    return row ? { id: row.id, stateVector: row.state_vector } : null;
  }

  /** The document's listed versions, newest first. */
  async list(documentId: string): Promise<VersionSummary[]> {
    const rows = await this.sql.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM document_versions WHERE document_id = $1 AND NOT hidden ORDER BY document_versions.seq DESC`,
      [documentId],
    );
    return rows.map(summaryOf);
  }

  /** One listed version of the document; null for an id of another document (or none). */
  async find(documentId: string, versionId: string): Promise<VersionSummary | null> {
    const [row] = await this.sql.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM document_versions WHERE document_id = $1 AND id = $2 AND NOT hidden`,
      [documentId, versionId],
    );
    return row ? summaryOf(row) : null;
  }

  /** The listed version before `version`, if any. */
  async previous(documentId: string, version: VersionSummary): Promise<VersionSummary | null> {
    const [row] = await this.sql.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM document_versions
        WHERE document_id = $1 AND seq < $2::bigint AND NOT hidden ORDER BY document_versions.seq DESC LIMIT 1`,
      [documentId, version.seq],
    );
    return row ? summaryOf(row) : null;
  }

  /** What rebuilds a listed version of the document; null when it is not one of its versions. */
  async chain(documentId: string, versionId: string): Promise<VersionChain | null> {
    const version = await this.find(documentId, versionId);
    if (!version) return null;
    const rows = await this.sql.query<{ seq: string; keyframe: boolean; data: Uint8Array }>(
      `SELECT seq::text AS seq, keyframe, data FROM document_versions
        WHERE document_id = $1 AND seq <= $2::bigint
          AND seq >= (SELECT max(seq) FROM document_versions WHERE document_id = $1 AND keyframe AND seq <= $2::bigint)
        ORDER BY document_versions.seq`,
      [documentId, version.seq],
    );
    return { version, parts: rows.map((row) => ({ seq: BigInt(row.seq), keyframe: row.keyframe, data: row.data })) };
  }

  /** Every author recorded on the document's versions (for colouring a diff by person). */
  async authors(documentId: string): Promise<VersionAuthor[]> {
    const rows = await this.sql.query<{ authors: VersionAuthor[] | string }>("SELECT authors FROM document_versions WHERE document_id = $1", [documentId]);
    return rows.flatMap((row) => (typeof row.authors === "string" ? (JSON.parse(row.authors) as VersionAuthor[]) : row.authors));
  }

  /** Bytes the document's versions take (the bench's storage figure). */
  async storedBytes(documentId: string): Promise<{ versions: number; bytes: number }> {
    const [row] = await this.sql.query<{ versions: number; bytes: number }>(
      "SELECT count(*)::int AS versions, coalesce(sum(octet_length(data) + octet_length(state_vector) + octet_length(authors::text)), 0)::float8 AS bytes FROM document_versions WHERE document_id = $1",
      [documentId],
    );
    return row;
  }

  /** Whether viewers and commenters may browse the document's history; null: no such document. */
  async readersMayBrowse(documentId: string): Promise<boolean | null> {
    const [row] = await this.sql.query<{ history_for_readers: boolean }>("SELECT history_for_readers FROM documents WHERE id = $1", [documentId]);
    return row ? row.history_for_readers : null;
  }

  async setReadersMayBrowse(documentId: string, allowed: boolean): Promise<void> {
    await this.sql.query("UPDATE documents SET history_for_readers = $2 WHERE id = $1", [documentId, allowed]);
  }

  /**
   * Applies the thinning policy (versionThinning.ts) to at most THIN_BATCH versions. A thinned
   * delta is merged into the row after it (which then rebuilds as before); a thinned keyframe
   * that a later delta builds on is hidden instead, and deleted once nothing builds on it.
   */
  async thin(tx: SqlClient, documentId: string, now: number): Promise<number> {
    const rows = await tx.query<{ id: string; seq: string; created_at: Date; kind: VersionKind; keyframe: boolean; hidden: boolean }>(
      "SELECT id, seq::text AS seq, created_at, kind, keyframe, hidden FROM document_versions WHERE document_id = $1 ORDER BY document_versions.seq",
      [documentId],
    );
    const candidates: ThinningCandidate[] = rows.filter((row) => !row.hidden).map((row) => ({ id: row.id, createdAt: new Date(row.created_at).getTime(), named: row.kind === "named" }));
    const doomed = new Set(thinnedVersions(candidates, now).slice(0, THIN_BATCH));
    let thinned = 0;
    for (let i = 0; i < rows.length - 1; i++) {
      const row = rows[i];
      const next = rows[i + 1];
      const thin = doomed.has(row.id) || (row.hidden && next.keyframe);
      if (!thin) continue;
      if (next.keyframe) {
        await tx.query("DELETE FROM document_versions WHERE id = $1", [row.id]);
      } else if (row.keyframe) {
        await tx.query("UPDATE document_versions SET hidden = true WHERE id = $1", [row.id]);
        continue;
      } else {
        const [a, b] = await tx.query<{ id: string; data: Uint8Array }>("SELECT id, data FROM document_versions WHERE id = ANY($1::text[])", [[row.id, next.id]]);
        const [first, second] = a.id === row.id ? [a, b] : [b, a];
        await tx.query("UPDATE document_versions SET data = $2 WHERE id = $1", [next.id, toBytes(Y.mergeUpdates([first.data, second.data]))]);
        await tx.query("DELETE FROM document_versions WHERE id = $1", [row.id]);
      }
      rows.splice(i, 1);
      // Look at the row before again: a hidden keyframe there may now have nothing building on it.
      i = Math.max(-1, i - 2);
      thinned++;
    }
    return thinned;
  }
}

function toBytes(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
