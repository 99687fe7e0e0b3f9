// Compaction when things go wrong or get big: a compaction that fails at any statement leaves
// the snapshot and the log exactly as they were (nothing lost, nothing half-written) and a
// later one succeeds; the writer keeps writing through failed compactions; past
// COMPACT_MAX_LOG_ROWS (1,000) rows the log is compacted whatever its size, every row in one
// go; and two processes compacting one document at once on PostgreSQL are serialised by the
// advisory lock, so no update is lost or kept twice and up_to_seq stays right.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import { newDocumentId } from "../../../lib/documentId.ts";
import { openDatabase } from "../../db/openDatabase.ts";
import type { Database } from "../../db/Database.ts";
import type { SqlClient } from "../../db/SqlClient.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../../testing/testDatabase.ts";
import { Random, testSeed } from "../../testing/seededRandom.ts";
import { sleep } from "../../testing/sleep.ts";
import { SqlDocumentStorage } from "./SqlDocumentStorage.ts";
import { COMPACT_AFTER_APPENDS, UNLOAD_COMPACT_ATTEMPTS, UpdateWriter } from "./UpdateWriter.ts";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const COMPACTION_LOOP = path.join(REPO_ROOT, "server/testing/compactionLoop.ts");

function textUpdate(doc: Y.Doc, insert: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getText("t").insert(doc.getText("t").length, insert);
  return Y.encodeStateAsUpdate(doc, before);
}

/** 100-byte chunks, numbered, so a lost or reordered one shows in the text. */
function chunk(i: number): string {
  return `${String(i).padStart(5, "0")}${"-".repeat(95)}`;
}

/** The statements of SqlDocumentStorage.compact, in the order it runs them. */
const COMPACTION_STEPS = [
  { step: "advisory lock", starts: "SELECT 1 AS locked" },
  { step: "size query", starts: "SELECT count(*)" },
  { step: "snapshot read", starts: "SELECT state FROM document_snapshots" },
  { step: "log read", starts: "SELECT seq::text" },
  { step: "snapshot write", starts: "INSERT INTO document_snapshots" },
  { step: "log delete", starts: "DELETE FROM document_updates" },
] as const;

class InjectedFault extends Error {}

/**
 * `sql` with a fault: the next `times` statements starting with `starts` throw, either before
 * reaching the database or after it ran them (a connection lost before the commit). `seen`
 * counts the matching statements, failed or not.
 */
function faultySql(sql: SqlClient, starts: string, phase: "before" | "after", times = 1): SqlClient & { seen: number; remaining: number } {
  const withFault = (client: SqlClient): SqlClient["query"] =>
    async function query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
      if (!text.trimStart().startsWith(starts)) return client.query<Row>(text, params);
      faulty.seen++;
      const fail = faulty.remaining > 0;
      if (fail) faulty.remaining--;
      if (fail && phase === "before") throw new InjectedFault(`injected fault before ${starts}`);
      const rows = await client.query<Row>(text, params);
      if (fail) throw new InjectedFault(`injected fault after ${starts}`);
      return rows;
    };
  const faulty = {
    seen: 0,
    remaining: times,
    query: withFault(sql),
    transaction: <T>(work: (tx: SqlClient) => Promise<T>) =>
      sql.transaction((tx) => work({ ...tx, query: withFault(tx) })),
  };
  return faulty;
}

interface StoredState {
  snapshot: { state: string; stateVector: string; upToSeq: string } | null;
  logSeqs: string[];
}

async function storedState(sql: SqlClient, documentId: string): Promise<StoredState> {
  const [snapshot] = await sql.query<{ state: Uint8Array; state_vector: Uint8Array; up_to_seq: string }>(
    "SELECT state, state_vector, up_to_seq::text AS up_to_seq FROM document_snapshots WHERE document_id = $1",
    [documentId],
  );
  const log = await sql.query<{ seq: string }>(
    "SELECT seq::text AS seq FROM document_updates WHERE document_id = $1 ORDER BY document_updates.seq",
    [documentId],
  );
  return {
    snapshot: snapshot
      ? { state: Buffer.from(snapshot.state).toString("hex"), stateVector: Buffer.from(snapshot.state_vector).toString("hex"), upToSeq: snapshot.up_to_seq }
      : null,
    logSeqs: log.map((row) => row.seq),
  };
}

async function loadedText(storage: SqlDocumentStorage, documentId: string): Promise<string> {
  const stored = await storage.load(documentId);
  const doc = new Y.Doc();
  if (stored) Y.applyUpdate(doc, stored);
  assert.equal(doc.store.pendingStructs, null, "the stored updates apply without gaps");
  return doc.getText("t").toString();
}

/** The snapshot's state vector is that of its state, and no merged row is still in the log. */
function assertConsistent(state: StoredState, what: string): void {
  if (!state.snapshot) return;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(state.snapshot.state, "hex"));
  assert.equal(Buffer.from(Y.encodeStateVector(doc)).toString("hex"), state.snapshot.stateVector, `${what}: state_vector matches state`);
  const covered = state.logSeqs.filter((seq) => BigInt(seq) <= BigInt(state.snapshot!.upToSeq));
  assert.deepEqual(covered, [], `${what}: no log row at or below up_to_seq ${state.snapshot.upToSeq}`);
}

for (const kind of databaseKinds) {
  describe(`compaction faults and the 1,000-row path on ${kind}`, () => {
    let testDb: TestDatabase;
    let db: Database;

    before(async () => {
      testDb = (await createTestDatabase(kind))!;
      db = await openDatabase(testDb.options);
    });
    after(async () => {
      await db?.close();
      await testDb?.drop();
    });

    /** A document with a snapshot (60 rows compacted) and 120 more rows in the log. */
    async function documentWithSnapshotAndLog(storage: SqlDocumentStorage): Promise<{ id: string; source: Y.Doc }> {
      const id = newDocumentId();
      const source = new Y.Doc();
      await Promise.all(Array.from({ length: 60 }, (_, i) => storage.append(id, textUpdate(source, chunk(i)))));
      await storage.compact(id);
      await Promise.all(Array.from({ length: 120 }, (_, i) => storage.append(id, textUpdate(source, chunk(60 + i)))));
      const state = await storedState(db.sql, id);
      assert.ok(state.snapshot, "set-up: the first compaction ran");
      assert.equal(state.logSeqs.length, 120, "set-up: the second batch is in the log");
      return { id, source };
    }

    for (const { step, starts } of COMPACTION_STEPS) {
      for (const phase of ["before", "after"] as const) {
        test(`a compaction failing ${phase} its ${step} changes nothing; the next one merges everything`, async () => {
          const plain = new SqlDocumentStorage(db.sql);
          const { id, source } = await documentWithSnapshotAndLog(plain);
          const before = await storedState(db.sql, id);

          const faulty = faultySql(db.sql, starts, phase);
          await assert.rejects(new SqlDocumentStorage(faulty).compact(id), InjectedFault);
          assert.equal(faulty.remaining, 0, "the fault was hit");
          assert.deepEqual(await storedState(db.sql, id), before, "snapshot and log exactly as before the failed compaction");
          assert.equal(await loadedText(plain, id), source.getText("t").toString(), "nothing lost");

          await new SqlDocumentStorage(faulty).compact(id);
          const compacted = await storedState(db.sql, id);
          assert.deepEqual(compacted.logSeqs, [], "the later compaction merged every row");
          assert.equal(compacted.snapshot?.upToSeq, before.logSeqs.at(-1), "up_to_seq is the last merged row");
          assertConsistent(compacted, "after the later compaction");
          assert.equal(await loadedText(plain, id), source.getText("t").toString());
        });
      }
    }

    test("a first compaction (no snapshot yet) failing after its snapshot write leaves no snapshot", async () => {
      const plain = new SqlDocumentStorage(db.sql);
      const id = newDocumentId();
      const source = new Y.Doc();
      await Promise.all(Array.from({ length: 80 }, (_, i) => plain.append(id, textUpdate(source, chunk(i)))));
      const before = await storedState(db.sql, id);
      const faulty = faultySql(db.sql, "DELETE FROM document_updates", "before");
      await assert.rejects(new SqlDocumentStorage(faulty).compact(id), InjectedFault);
      assert.deepEqual(await storedState(db.sql, id), before);
      assert.equal(before.snapshot, null);
      assert.equal(await loadedText(plain, id), source.getText("t").toString());
    });

    test("the writer keeps writing through a failed compaction and compacts after its next batch", async () => {
      const faulty = faultySql(db.sql, "DELETE FROM document_updates", "after");
      const storage = new SqlDocumentStorage(faulty);
      const id = newDocumentId();
      const source = new Y.Doc();
      const errors: number[] = [];
      const writer = new UpdateWriter(storage, id, { onWriteError: (_error, attempt) => errors.push(attempt) });
      // One row per flush (updates enqueued together are merged into one row).
      for (let i = 0; i < COMPACT_AFTER_APPENDS; i++) {
        writer.enqueue(textUpdate(source, chunk(i)));
        await writer.flush();
      }
      assert.deepEqual(errors, [0], "the failed compaction was reported once (attempt 0: not a write)");
      const afterFailure = await storedState(db.sql, id);
      assert.equal(afterFailure.snapshot, null, "the failed compaction left no snapshot");
      assert.equal(afterFailure.logSeqs.length, COMPACT_AFTER_APPENDS, "every update is in the log");

      writer.enqueue(textUpdate(source, chunk(COMPACT_AFTER_APPENDS)));
      await writer.flush();
      const compacted = await storedState(db.sql, id);
      assert.equal(faulty.seen, 2, "compaction was tried again after the next batch");
      assert.ok(compacted.snapshot, "and succeeded");
      assert.deepEqual(compacted.logSeqs, []);
      assertConsistent(compacted, "after the writer's compaction");
      assert.equal(await loadedText(new SqlDocumentStorage(db.sql), id), source.getText("t").toString());
      assert.ok(writer.idle);
    });

    test("an unload compaction retries, and one that keeps failing gives up without losing anything", async () => {
      const plain = new SqlDocumentStorage(db.sql);
      for (const failures of [UNLOAD_COMPACT_ATTEMPTS - 1, UNLOAD_COMPACT_ATTEMPTS]) {
        const id = newDocumentId();
        const source = new Y.Doc();
        await Promise.all(Array.from({ length: 60 }, (_, i) => plain.append(id, textUpdate(source, chunk(i)))));
        const faulty = faultySql(db.sql, "INSERT INTO document_snapshots", "after", failures);
        const errors: number[] = [];
        const writer = new UpdateWriter(new SqlDocumentStorage(faulty), id, { onWriteError: (_error, attempt) => errors.push(attempt) });
        writer.enqueue(textUpdate(source, chunk(60)));
        await writer.flushAndCompact();
        const state = await storedState(db.sql, id);
        assert.equal(faulty.seen, UNLOAD_COMPACT_ATTEMPTS, `${failures} failures: ${UNLOAD_COMPACT_ATTEMPTS} attempts`);
        assert.deepEqual(errors, Array.from({ length: failures }, (_, i) => i + 1), "each failed attempt reported");
        if (failures < UNLOAD_COMPACT_ATTEMPTS) {
          assert.ok(state.snapshot, "the last attempt succeeded");
          assert.deepEqual(state.logSeqs, []);
          assertConsistent(state, "after the retried compaction");
        } else {
          assert.equal(state.snapshot, null, "gave up: no snapshot");
          assert.equal(state.logSeqs.length, 61, "gave up: the log is complete");
          // A later unload compacts.
          writer.enqueue(textUpdate(source, chunk(61)));
          await writer.flushAndCompact();
          const later = await storedState(db.sql, id);
          assert.ok(later.snapshot, "a later unload compaction succeeded");
          assert.deepEqual(later.logSeqs, []);
        }
        assert.equal(await loadedText(plain, id), source.getText("t").toString());
      }
    });

    test("past 1,000 rows the log is compacted whatever its size, every row in one go", async () => {
      const storage = new SqlDocumentStorage(db.sql);
      const id = newDocumentId();
      const source = new Y.Doc();
      // A large first row (a document uploaded in one go), then small edits: by size alone the
      // log is never worth compacting (its rest stays below the large row / the snapshot).
      await storage.append(id, textUpdate(source, "x".repeat(128 * 1024)));
      const small = (from: number, count: number) =>
        Promise.all(Array.from({ length: count }, (_, i) => storage.append(id, textUpdate(source, String((from + i) % 10)))));
      await small(0, 998);

      await storage.compact(id);
      let state = await storedState(db.sql, id);
      assert.equal(state.snapshot, null, "999 small rows: not compacted");
      assert.equal(state.logSeqs.length, 999);

      await small(998, 1);
      await storage.compact(id);
      state = await storedState(db.sql, id);
      assert.ok(state.snapshot, "1,000 rows: compacted although the log is small");
      assert.deepEqual(state.logSeqs, [], "every row merged and deleted");
      assertConsistent(state, "after 1,000 rows");
      assert.equal(await loadedText(storage, id), source.getText("t").toString());

      // Now with a snapshot of ~130 KB and 2,500 small rows (~50 KB): compacted by count, all
      // 2,500 rows in one transaction (no batch limit), up_to_seq the last of them.
      await small(999, 2_500);
      const full = await storedState(db.sql, id);
      assert.equal(full.logSeqs.length, 2_500);
      await storage.compact(id);
      state = await storedState(db.sql, id);
      assert.deepEqual(state.logSeqs, [], "the log shrank to nothing");
      assert.equal(state.snapshot?.upToSeq, full.logSeqs.at(-1));
      assertConsistent(state, "after 2,500 rows");
      assert.equal(await loadedText(storage, id), source.getText("t").toString());
    });
  });
}

const postgresSkip = databaseKinds.includes("postgres") ? false : "DATABASE_URL is unset; the advisory lock is PostgreSQL's";

describe("two processes compacting one document on postgres", { skip: postgresSkip }, () => {
  let testDb: TestDatabase;
  let db: Database;

  before(async () => {
    // A database of its own: every value of the log's sequence belongs to this test's document.
    testDb = (await createTestDatabase("postgres"))!;
    db = await openDatabase(testDb.options);
  });
  after(async () => {
    await db?.close();
    await testDb?.drop();
  });

  test("never lose or duplicate an update, and up_to_seq only moves forward", async () => {
    const seed = testSeed("two-process compaction");
    const random = new Random(seed);
    const id = newDocumentId();
    const storage = new SqlDocumentStorage(db.sql);

    const children = [1, 2].map((n) => {
      const child = spawn(process.execPath, ["--import", "tsx", COMPACTION_LOOP, testDb.options.databaseUrl!, id, String(seed + n)], {
        cwd: REPO_ROOT,
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
      child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      return { child, exited, output: () => ({ stdout, stderr }) };
    });
    try {
      for (const { output, exited } of children) {
        let done = false;
        void exited.then(() => (done = true));
        const deadline = Date.now() + 30_000;
        while (!output().stdout.includes("ready")) {
          assert.ok(!done && Date.now() < deadline, `compaction child did not start:\n${output().stderr}`);
          await sleep(20);
        }
      }

      // Watch up_to_seq while both compact: it may never move backwards.
      const upToSeqs: bigint[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const [row] = await db.sql.query<{ up_to_seq: string }>("SELECT up_to_seq::text AS up_to_seq FROM document_snapshots WHERE document_id = $1", [id]);
          if (row) upToSeqs.push(BigInt(row.up_to_seq));
          await sleep(3);
        }
      })();

      // The document: 16 keys overwritten again and again, so it stays small (overwritten values
      // are garbage-collected) and the log passes the compaction threshold every ~50 rows; a
      // lost row would leave every later one of this client pending.
      const source = new Y.Doc();
      const map = source.getMap<string>("m");
      const UPDATES = 1_200;
      for (let i = 0; i < UPDATES; ) {
        const group: Promise<void>[] = [];
        for (const end = Math.min(UPDATES, i + random.int(1, 12)); i < end; i++) {
          const before = Y.encodeStateVector(source);
          map.set(`k${i % 16}`, `${i}:${"v".repeat(200)}`);
          group.push(storage.append(id, Y.encodeStateAsUpdate(source, before)));
        }
        await Promise.all(group);
        await sleep(random.int(0, 3));
      }
      watching = false;
      await watcher;

      for (const { child } of children) child.stdin.end();
      const results = await Promise.all(
        children.map(async ({ exited, output }) => {
          const code = await exited;
          assert.equal(code, 0, `compaction child failed:\n${output().stderr}`);
          return JSON.parse(output().stdout.trim().split("\n").at(-1)!) as { attempts: number; snapshotWrites: number; errors: string[] };
        }),
      );
      console.log(`[two-process compaction] ${JSON.stringify(results.map(({ attempts, snapshotWrites }) => ({ attempts, snapshotWrites })))}`);
      for (const result of results) {
        assert.deepEqual(result.errors, [], "no compaction failed");
        assert.ok(result.snapshotWrites >= 1, "each process compacted the document at least once");
      }
      assert.ok(results[0].snapshotWrites + results[1].snapshotWrites >= 5, "compactions ran throughout");

      for (let i = 1; i < upToSeqs.length; i++) {
        assert.ok(upToSeqs[i] >= upToSeqs[i - 1], `up_to_seq moved back from ${upToSeqs[i - 1]} to ${upToSeqs[i]}`);
      }

      // Every value of the sequence went to one row of this document: those not in the log
      // were merged, and up_to_seq must be the last of them, with no merged row left behind.
      const state = await storedState(db.sql, id);
      const [{ last }] = await db.sql.query<{ last: string }>(
        "SELECT last_value::text AS last FROM pg_sequences WHERE schemaname || '.' || sequencename = pg_get_serial_sequence('document_updates', 'seq')",
      );
      assert.equal(BigInt(last), BigInt(UPDATES), "one sequence value per update appended");
      const inLog = new Set(state.logSeqs);
      const merged = Array.from({ length: UPDATES }, (_, i) => String(i + 1)).filter((seq) => !inLog.has(seq));
      assert.ok(merged.length > 0 && state.snapshot);
      assert.equal(state.snapshot.upToSeq, merged.at(-1), "up_to_seq is the last merged row");
      assertConsistent(state, "after both processes");

      const loaded = new Y.Doc();
      Y.applyUpdate(loaded, (await storage.load(id))!);
      assert.equal(loaded.store.pendingStructs, null, "no update missing (a gap leaves later ones pending)");
      assert.deepEqual(Y.encodeStateVector(loaded), Y.encodeStateVector(source), "every update is stored");
      assert.deepEqual(loaded.getMap("m").toJSON(), map.toJSON());
    } finally {
      for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});
