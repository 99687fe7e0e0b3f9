// "Nothing typed is ever lost", crash edition: the real server runs as a child process and
// is SIGKILLed several times while real y-websocket clients type. At every crash, each edit
// acknowledged durable before the kill must already be in the database; at the end (clients
// synced, server stopped gracefully) every edit anyone typed is stored and all replicas and
// the stored document are identical.
//
// Database: PGlite (its data directory must survive SIGKILL too), and PostgreSQL as well when
// DATABASE_URL is set; DURABILITY_DB=pglite|postgres runs only that one. DURABILITY_LONG=1 runs longer.

import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { newDocumentId } from "../../../lib/documentId.ts";
import { SqlDocumentStorage } from "../storage/SqlDocumentStorage.ts";
import { openDatabase } from "../../db/openDatabase.ts";
import type { Database } from "../../db/Database.ts";
import { createTestDatabase, databaseKinds, type DatabaseKind } from "../../testing/testDatabase.ts";
import { freePort, startCollabChild, type CollabChild } from "../../testing/collabChildProcess.ts";
import { seedEditableDocuments } from "../../testing/accessFixtures.ts";
import { docFrom, fingerprint, TaggedEditor, tokensIn } from "../../testing/TaggedEditor.ts";
import { Random, testSeed } from "../../testing/seededRandom.ts";
import { sleep } from "../../testing/sleep.ts";
import { synced, waitFor } from "../../testing/yClients.ts";

const LONG = process.env.DURABILITY_LONG === "1";
const CRASHES = LONG ? 12 : 3;
const CLIENTS = LONG ? 6 : 4;
const kinds: DatabaseKind[] =
  process.env.DURABILITY_DB === "pglite" || process.env.DURABILITY_DB === "postgres" ? [process.env.DURABILITY_DB] : databaseKinds;

for (const kind of kinds) test(`acknowledged edits survive SIGKILL of the server (${kind})`, { timeout: LONG ? 600_000 : 120_000 }, async () => {
  const seed = testSeed("crash");
  const random = new Random(seed);
  const testDb = await createTestDatabase(kind);
  assert.ok(testDb, `${kind} test database (DATABASE_URL needed for postgres)`);
  const port = await freePort();
  const documentId = newDocumentId();
  let child: CollabChild | null = null;
  let checker: Database | null = null;
  const editors: TaggedEditor[] = [];
  let editing = true;
  const figures = { kind, seed, crashes: 0, editsSent: 0, ackedBySv: 0, ackedByCount: 0, acknowledged: 0, found: 0, ackedCheckedAtCrashes: 0 };

  /** Loads the stored document the way the server does; PGlite only while no server runs. */
  async function loadStored(): Promise<Y.Doc> {
    if (kind === "postgres") {
      checker ??= await openDatabase(testDb!.options);
      return docFrom(await new SqlDocumentStorage(checker.sql).load(documentId));
    }
    assert.ok(!child || child.exited, "PGlite is only opened by the test while the server is down");
    const db = await openDatabase(testDb!.options);
    try {
      return docFrom(await new SqlDocumentStorage(db.sql).load(documentId));
    } finally {
      await db.close();
    }
  }

  try {
    // The child runs the real access policy: the editors come in through an edit link.
    const token = (await seedEditableDocuments(testDb.options, [documentId])).get(documentId)!;
    const started = Date.now();
    child = await startCollabChild(port, testDb.options);
    console.log(`[crash] server started on ${kind} in ${Date.now() - started} ms`);
    for (let i = 0; i < CLIENTS; i++) editors.push(new TaggedEditor(child.wsUrl, documentId, i, random.next, { token }));
    await Promise.all(editors.map((e) => synced(e.provider)));

    const loops = editors.map(async (editor) => {
      while (editing) {
        editor.edit();
        await sleep(random.int(2, 15));
      }
    });

    for (let crash = 0; crash < CRASHES; crash++) {
      // Type for a while, and make sure acks flow again after the previous restart.
      const ackedBefore = editors.reduce((n, e) => n + e.acknowledged().length, 0);
      await sleep(random.int(800, 2_000));
      await waitFor(
        () => editors.reduce((n, e) => n + e.acknowledged().length, 0) > ackedBefore,
        `acks after restart ${crash}`,
        20_000,
      );
      // Everything acknowledged up to the instant of the kill must be in the database.
      const ackedEdits = editors.flatMap((e) => e.acknowledged().map((edit) => ({ ...edit })));
      const acked = ackedEdits.map((edit) => edit.token);
      const stderrBefore: string = child.stderr;
      const clientStates = editors.map((e) => ({
        client: e.index,
        connected: e.provider.wsconnected,
        synced: e.provider.synced,
        clock: Y.getState(e.doc.store, e.doc.clientID),
        persistedClock: e.persistedClock,
        ...e.tracker.snapshot,
        persistedStateVector: undefined,
      }));
      const result = await child.stop("SIGKILL");
      assert.equal(result.signal, "SIGKILL", "server died of SIGKILL");
      figures.crashes++;
      const stored = tokensIn(await loadStored());
      const lost = acked.filter((t) => !stored.has(t));
      figures.ackedCheckedAtCrashes += acked.length;
      console.log(`[crash] kill ${crash + 1}: ${acked.length} acknowledged edits, ${stored.size} tokens stored, ${lost.length} acknowledged but lost`);
      if (lost.length > 0) {
        const lostEdits = ackedEdits.filter((e) => !stored.has(e.token));
        const bySv = lostEdits.filter((e) => e.ackedBySv).length;
        const byCount = lostEdits.filter((e) => e.ackedByCount).length;
        assert.fail(
          `${lost.length} acknowledged edits missing from the database after SIGKILL ${crash + 1} ` +
            `(acknowledged by state vector: ${bySv}, by frame count: ${byCount}): ${lost.slice(0, 10).join(" ")}...\n` +
            `clients at the kill: ${JSON.stringify(clientStates)}\n` +
            `server stderr (tail):\n${stderrBefore.slice(-3_000)}`,
        );
      }
      // Clients keep typing while the server is down.
      await sleep(random.int(100, 800));
      child = await startCollabChild(port, testDb.options);
    }

    await sleep(random.int(500, 1_500));
    editing = false;
    await Promise.all(loops);

    // Converge: every client connected and synced, everything persisted, replicas identical.
    await waitFor(
      () => {
        if (!editors.every((e) => e.provider.wsconnected && e.provider.synced && e.allPersisted)) return false;
        const first = JSON.stringify(fingerprint(editors[0].doc));
        return editors.every((e) => JSON.stringify(fingerprint(e.doc)) === first);
      },
      "all replicas converged and persisted",
      30_000,
    );
    const stop = await child.stop("SIGTERM");
    assert.equal(stop.code, 0, `graceful stop exit code (stderr: ${child.stderr.slice(-2_000)})`);

    const storedDoc = await loadStored();
    const stored = tokensIn(storedDoc);
    const sent = editors.flatMap((e) => e.edits);
    figures.editsSent = sent.length;
    figures.ackedBySv = sent.filter((e) => e.ackedBySv).length;
    figures.ackedByCount = sent.filter((e) => e.ackedByCount).length;
    figures.acknowledged = sent.filter((e) => e.ackedBySv || e.ackedByCount).length;
    figures.found = sent.filter((e) => stored.has(e.token)).length;
    console.log(
      `[crash] figures: edits sent ${figures.editsSent}, acknowledged ${figures.acknowledged} ` +
        `(by state vector ${figures.ackedBySv}, by frame count ${figures.ackedByCount}), found ${figures.found}, ` +
        `crashes survived ${figures.crashes}, acknowledged edits checked at crashes ${figures.ackedCheckedAtCrashes} (${kind}, seed ${seed})`,
    );
    assert.equal(figures.found, figures.editsSent, "every edit typed is in the database");
    assert.equal(figures.acknowledged, figures.editsSent, "every edit was finally acknowledged");
    for (const editor of editors) {
      assert.deepEqual(fingerprint(editor.doc), fingerprint(storedDoc), `replica ${editor.index} equals the stored document`);
      assert.deepEqual(Y.encodeStateVector(editor.doc), Y.encodeStateVector(storedDoc));
    }
  } finally {
    editing = false;
    for (const editor of editors) editor.destroy();
    if (child && !child.exited) await child.stop("SIGKILL").catch(() => {});
    await (checker as Database | null)?.close();
    await testDb.drop();
  }
});
