// DocumentStorage on PostgreSQL or PGlite through Prisma: tables document_updates (log)
// and document_snapshots (compacted state), see prisma/schema.prisma.

import * as Y from "yjs";
import type { PrismaClient } from "../../db/generated/client.ts";
import type { DocumentStorage } from "./DocumentStorage.ts";

/** Title given to a document first created by a collab connection rather than the UI. */
const DEFAULT_TITLE = "Untitled";
/** documents.updated_at is refreshed at most this often per document while it is edited. */
export const TOUCH_INTERVAL_MS = 10_000;
/** Bound on the remembered touch times; older entries are pruned beyond it. */
const MAX_TOUCH_ENTRIES = 10_000;

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

export class PrismaDocumentStorage implements DocumentStorage {
  /** When each document's metadata row was last upserted, so most appends skip it. */
  private readonly lastTouched = new Map<string, number>();
  /** Appends waiting for the insert in flight to finish. */
  private pending: PendingAppend[] = [];
  private inFlight: Promise<void> | null = null;

  constructor(private readonly prisma: PrismaClient) {}

  async load(documentId: string): Promise<Uint8Array | null> {
    // Read snapshot and log in one transaction so a concurrent compaction (another
    // instance) cannot move rows from the log into the snapshot between the two reads.
    const [snapshot, rows] = await this.prisma.$transaction(
      [
        this.prisma.documentSnapshot.findUnique({ where: { documentId } }),
        this.prisma.documentUpdate.findMany({
          where: { documentId },
          orderBy: { seq: "asc" },
          select: { update: true },
        }),
      ],
      { isolationLevel: "RepeatableRead" },
    );
    const parts: Uint8Array[] = [];
    if (snapshot) parts.push(snapshot.state);
    for (const row of rows) parts.push(row.update);
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
  }

  /**
   * Appends an update. Appends from all documents are batched: while one insert is in
   * flight, new ones wait and then go together in one multi-row insert, so under load the
   * database sees a few large writes instead of one per keystroke, and at low load an
   * update is written at once.
   */
  append(documentId: string, update: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ documentId, update, resolve, reject });
      if (!this.inFlight) this.writePending();
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
    await this.prisma.$transaction([
      // Creates the row when a stock y-websocket client opened a room the UI never created,
      // and keeps "recently edited" ordering of the document list meaningful.
      ...touch.map((id) =>
        this.prisma.document.upsert({
          where: { id },
          create: { id, title: DEFAULT_TITLE },
          update: { updatedAt: new Date(now) },
        }),
      ),
      this.prisma.documentUpdate.createMany({
        data: entries.map((e) => ({ documentId: e.documentId, update: toBytes(e.update) })),
      }),
    ]);
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
    await this.prisma.$transaction(
      async (tx) => {
        // Serialise compactions of one document across instances: two overlapping ones could
        // otherwise each write a snapshot missing rows the other deleted.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${documentId}))`;
        const [sizes] = await tx.$queryRaw<{ log_rows: bigint; log_bytes: bigint | null; snapshot_bytes: number | null }[]>`
          SELECT (SELECT count(*) FROM document_updates WHERE document_id = ${documentId}) AS log_rows,
                 (SELECT sum(octet_length(update)) FROM document_updates WHERE document_id = ${documentId}) AS log_bytes,
                 (SELECT octet_length(state) FROM document_snapshots WHERE document_id = ${documentId}) AS snapshot_bytes`;
        const logBytes = Number(sizes.log_bytes ?? 0);
        const logRows = Number(sizes.log_rows);
        const worthIt =
          logRows >= COMPACT_MAX_LOG_ROWS ||
          (logRows >= COMPACT_MIN_LOG_ROWS && logBytes >= Math.max(COMPACT_MIN_LOG_BYTES, Number(sizes.snapshot_bytes ?? 0)));
        if (!worthIt) return;
        const snapshot = await tx.documentSnapshot.findUnique({ where: { documentId } });
        const rows = await tx.documentUpdate.findMany({
          where: { documentId },
          orderBy: { seq: "asc" },
          select: { seq: true, update: true },
        });
        if (rows.length === 0) return;
        // Apply into a Y.Doc rather than Y.mergeUpdates so deleted content is garbage-collected.
        const doc = new Y.Doc();
        if (snapshot) Y.applyUpdate(doc, snapshot.state);
        for (const row of rows) Y.applyUpdate(doc, row.update);
        const state = Y.encodeStateAsUpdate(doc);
        const stateVector = Y.encodeStateVector(doc);
        doc.destroy();
        const upToSeq = rows[rows.length - 1].seq;
        await tx.documentSnapshot.upsert({
          where: { documentId },
          create: { documentId, state: toBytes(state), stateVector: toBytes(stateVector), upToSeq },
          update: { state: toBytes(state), stateVector: toBytes(stateVector), upToSeq },
        });
        // Delete exactly the rows merged: a row appended concurrently stays in the log.
        await tx.documentUpdate.deleteMany({
          where: { documentId, seq: { in: rows.map((r) => r.seq) } },
        });
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }

  async ping(): Promise<boolean> {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      return true;
    } catch {
      return false;
    }
  }
}

/** Prisma's Bytes wants a Uint8Array backed by a plain ArrayBuffer. */
function toBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
}
