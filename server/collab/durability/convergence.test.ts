// Convergence through the real collab server: seeded random edits by several clients with
// random disconnects, reconnects and timing, and the two real concurrent editing traces in
// testdata/traces. Every replica and a fresh load from the database must be identical.
// SEED=<n> replays a random run; DURABILITY_LONG=1 runs more steps.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { newDocumentId } from "../../../lib/documentId.ts";
import { openDatabase } from "../../db/openDatabase.ts";
import { SqlDocumentStorage } from "../storage/SqlDocumentStorage.ts";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "../../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../../testing/startCollabTestServer.ts";
import { ARRAY, docFrom, fingerprint, MAP, TEXT } from "../../testing/TaggedEditor.ts";
import { Random, testSeed } from "../../testing/seededRandom.ts";
import { sleep } from "../../testing/sleep.ts";
import { traceFile } from "../../testing/traceFiles.ts";
import { connectClient, synced, waitFor } from "../../testing/yClients.ts";

const LONG = process.env.DURABILITY_LONG === "1";
const kind: DatabaseKind = process.env.DATABASE_URL ? "postgres" : "pglite";

/** Transaction origin of a trace transaction applied to its agent's replica. */
const LOCAL = Symbol("trace");

interface ConcurrentTrace {
  kind: "concurrent";
  endContent: string;
  numAgents: number;
  txns: { parents: number[]; agent: number; patches: [number, number, string][] }[];
}

function readTrace(name: string): ConcurrentTrace {
  const file = traceFile(name);
  if (!existsSync(file)) {
    throw new Error(
      `editing trace not found: ${file} (the repository's testdata/traces, see its README.md).`,
    );
  }
  const trace = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as ConcurrentTrace;
  assert.equal(trace.kind, "concurrent", `${name} is a concurrent trace`);
  return trace;
}

/** UTF-16 index of code point `cp` in `s` (traces count code points, Y.Text UTF-16 units). */
function utf16Index(s: string, cp: number, bmpOnly: boolean): number {
  if (bmpOnly) return cp;
  let index = 0;
  for (let i = 0; i < cp; i++) index += (s.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  return index;
}

/** Everything of a document the tests compare. */
function state(doc: Y.Doc) {
  return fingerprint(doc);
}

/** All providers converged: connected, synced, identical state vectors and content. */
function converged(providers: WebsocketProvider[]): boolean {
  if (!providers.every((p) => p.wsconnected && p.synced)) return false;
  const first = JSON.stringify(state(providers[0].doc));
  return providers.every((p) => JSON.stringify(state(p.doc)) === first);
}

describe(`convergence through the collab server (${kind})`, () => {
  let testDb: TestDatabase;
  let server: CollabTestServer;

  before(async () => {
    const db = await createTestDatabase(kind);
    assert.ok(db, `${kind} test database`);
    testDb = db;
    server = await startCollabTestServer(testDb.options);
  });
  after(async () => {
    await server?.close();
    await testDb?.drop();
  });

  /** Stops the server gracefully (every write flushed) and loads `id` from a fresh connection. */
  async function restartAndLoad(id: string): Promise<Y.Doc> {
    await server.close();
    const db = await openDatabase(testDb.options);
    try {
      return docFrom(await new SqlDocumentStorage(db.sql).load(id));
    } finally {
      await db.close();
      server = await startCollabTestServer(testDb.options);
    }
  }

  test("random edits, disconnects and timing converge, and equal the stored document", { timeout: LONG ? 600_000 : 60_000 }, async () => {
    const seed = testSeed("convergence");
    const random = new Random(seed);
    const id = newDocumentId();
    const K = 4;
    const STEPS = LONG ? 6_000 : 600;
    const clients = Array.from({ length: K }, () => connectClient(server.wsUrl, id));
    const counts = { ops: 0, textInserts: 0, textDeletes: 0, mapSets: 0, arrayPushes: 0, arrayDeletes: 0, disconnects: 0, reconnects: 0, offlineOps: 0 };
    try {
      await Promise.all(clients.map((c) => synced(c)));
      for (let step = 0; step < STEPS; step++) {
        const client = random.pick(clients);
        const doc = client.doc;
        const roll = random.next();
        if (roll < 0.05) {
          if (client.shouldConnect) {
            client.disconnect();
            counts.disconnects++;
          } else {
            client.connect();
            counts.reconnects++;
          }
        } else {
          counts.ops++;
          if (!client.wsconnected) counts.offlineOps++;
          const text = doc.getText(TEXT);
          const op = random.next();
          if (op < 0.45) {
            const chars = "abcdefghij klmnop\n";
            let s = "";
            for (let i = random.int(1, 6); i > 0; i--) s += chars[random.int(0, chars.length)];
            text.insert(random.int(0, text.length + 1), s);
            counts.textInserts++;
          } else if (op < 0.65 && text.length > 0) {
            const at = random.int(0, text.length);
            text.delete(at, Math.min(random.int(1, 5), text.length - at));
            counts.textDeletes++;
          } else if (op < 0.8) {
            doc.getMap(MAP).set(`k${random.int(0, 6)}`, random.chance(0.5) ? random.int(0, 1000) : `v${step}`);
            counts.mapSets++;
          } else if (op < 0.95 || doc.getArray(ARRAY).length === 0) {
            doc.getArray(ARRAY).push([`${step}`]);
            counts.arrayPushes++;
          } else {
            const array = doc.getArray(ARRAY);
            array.delete(random.int(0, array.length), 1);
            counts.arrayDeletes++;
          }
        }
        // Random delivery timing: sometimes a burst with no pause, sometimes a wait.
        if (random.chance(0.3)) await sleep(random.int(0, 15));
      }
      for (const client of clients) if (!client.shouldConnect) client.connect();
      await waitFor(() => converged(clients), "all replicas converged", 30_000);
      const replica = state(clients[0].doc);
      for (const client of clients) {
        assert.deepEqual(Y.encodeStateVector(client.doc), Y.encodeStateVector(clients[0].doc), "state vectors byte-identical");
        assert.deepEqual(state(client.doc), replica);
      }
      for (const client of clients) client.destroy();
      const stored = await restartAndLoad(id);
      assert.deepEqual(state(stored), replica, "a fresh load from the database equals the replicas");
      console.log(
        `[convergence] seed ${seed}: ${counts.ops} ops (${counts.offlineOps} while offline), text +${counts.textInserts} -${counts.textDeletes}, ` +
          `map ${counts.mapSets}, array +${counts.arrayPushes} -${counts.arrayDeletes}, disconnects ${counts.disconnects}, ` +
          `reconnects ${counts.reconnects}; final text ${clients[0].doc.getText(TEXT).length} chars, equal in ${K} replicas and the database (${kind})`,
      );
    } finally {
      for (const client of clients) client.destroy();
    }
  });

  for (const name of ["friendsforever", "clownschool"]) {
    test(`concurrent trace ${name} replayed through the server reaches endContent`, { timeout: LONG ? 600_000 : 60_000 }, async () => {
      const trace = readTrace(name);
      const bmpOnly = trace.txns.every((t) => t.patches.every(([, , s]) => !/[\uD800-\uDFFF]/.test(s)));
      const id = newDocumentId();
      // One connected client per agent: it sends the agent's transactions to the server.
      const clients = Array.from({ length: trace.numAgents }, () => connectClient(server.wsUrl, id));
      // One local replica per agent, at exactly the version each transaction's parents name
      // (not connected: the server must not hand it edits the agent had not seen yet).
      // Yjs orders concurrent inserts at one position by client id; the traces' endContent
      // orders them by agent number, so agent a edits as client a + 1.
      const replicas = Array.from({ length: trace.numAgents }, (_, agent) => {
        const doc = new Y.Doc();
        doc.clientID = agent + 1;
        return doc;
      });
      const known = Array.from({ length: trace.numAgents }, () => new Set<number>());
      const updates: Uint8Array[] = new Array(trace.txns.length);
      const SEND_EVERY_TXNS = 100;
      const random = new Random(testSeed(`traces ${name}`));
      let frames = 0;
      const started = Date.now();
      let merges = 0;
      try {
        await Promise.all(clients.map((c) => synced(c)));
        for (let i = 0; i < trace.txns.length; i++) {
          const txn = trace.txns[i];
          const replica = replicas[txn.agent];
          const have = known[txn.agent];
          // The replica's history must be an ancestor set of this transaction.
          const missing: number[] = [];
          const stack = [...txn.parents];
          const seen = new Set<number>();
          while (stack.length > 0) {
            const p = stack.pop()!;
            if (have.has(p) || seen.has(p)) continue;
            seen.add(p);
            missing.push(p);
            stack.push(...trace.txns[p].parents);
          }
          if (missing.length > 0) {
            if (txn.parents.length > 1) merges++;
            // In trace order, which is causal order: no pending structs, no merge cost.
            missing.sort((a, b) => a - b);
            replica.transact(() => {
              for (const p of missing) Y.applyUpdate(replica, updates[p]);
            });
            for (const p of missing) have.add(p);
          }
          const produced: Uint8Array[] = [];
          const capture = (update: Uint8Array, origin: unknown) => {
            if (origin === LOCAL) produced.push(update);
          };
          replica.on("update", capture);
          const text = replica.getText(TEXT);
          replica.transact(() => {
            for (const [pos, del, ins] of txn.patches) {
              const content = bmpOnly ? "" : text.toString();
              const at = utf16Index(content, pos, bmpOnly);
              if (del > 0) text.delete(at, utf16Index(content, pos + del, bmpOnly) - at);
              if (ins) text.insert(at, ins);
            }
          }, LOCAL);
          replica.off("update", capture);
          updates[i] = produced.length === 1 ? produced[0] : Y.mergeUpdates(produced);
          have.add(i);
          // Send through the agent's client what its replica has and the client lacks: a
          // few hundred transactions per frame, as a client catching up would. (Feeding the
          // client single updates whose dependencies it has not received yet would leave them
          // pending there, and y-websocket never sends structs that integrate later while it
          // applies a server message, so the run would stall.)
          if (i % SEND_EVERY_TXNS === 0 || i === trace.txns.length - 1) {
            clients.forEach((client, agent) => {
              const missingAtClient = Y.encodeStateAsUpdate(replicas[agent], Y.encodeStateVector(client.doc));
              Y.applyUpdate(client.doc, missingAtClient);
            });
            frames++;
            await sleep(random.int(0, 5));
          }
        }
        // A local replay (no server) must reach endContent, else the replay itself is wrong.
        const local = new Y.Doc();
        local.transact(() => {
          for (const update of updates) Y.applyUpdate(local, update);
        });
        assert.equal(local.getText(TEXT).toString(), trace.endContent, "local replay of the trace reaches endContent");
        await waitFor(() => converged(clients) && clients[0].doc.getText(TEXT).toString() === trace.endContent, `${name} converged through the server`, 30_000);
        for (const client of clients) assert.equal(client.doc.getText(TEXT).toString(), trace.endContent);
        for (const client of clients) client.destroy();
        const stored = await restartAndLoad(id);
        assert.equal(stored.getText(TEXT).toString(), trace.endContent, "stored document equals endContent");
        assert.deepEqual(Y.encodeStateVector(stored), Y.encodeStateVector(local), "stored state vector equals the replay's");
        console.log(
          `[traces] ${name}: ${trace.txns.length} txns by ${trace.numAgents} agents (${merges} merges) through the server in ${frames} rounds in ` +
            `${Date.now() - started} ms; ${trace.endContent.length} chars = endContent in every client and in the database (${kind})`,
        );
      } finally {
        for (const client of clients) client.destroy();
      }
    });
  }
});
