// Abuse suite: each attack runs against the live collab server (small limits, so floods end
// quickly) while a well-behaved client pair keeps editing. Per attack: the attack is answered
// with the documented close code or HTTP status, the server logs no error, the pair's update
// latency p99 stays under 100 ms, process RSS stays under a fixed cap over its baseline, and
// every edit of the pair is in the database afterwards. Figures are printed per attack. The
// server authorises like the real policy: in 20 ms, with an identity per connection.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as decoding from "lib0/decoding";
import { newDocumentId } from "../../../lib/documentId.ts";
import { createTestDatabase, databaseKinds } from "../../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../../testing/startCollabTestServer.ts";
import type { CollabLimits } from "../limits.ts";
import type { DocumentStorage } from "../storage/DocumentStorage.ts";
import { awarenessFrame, craftedUpdates, syncFrame } from "../../testing/abuseFrames.ts";
import {
  attackerAddress,
  closedWithin,
  EditingPair,
  failOnLeakedRooms,
  formatFigures,
  MB,
  probe,
  rememberCloseCode,
  RssSampler,
  sendQuietly,
  tryConnect,
  type Figures,
  type UpgradeOutcome,
} from "../../testing/abuseClients.ts";
import { sleep } from "../../testing/sleep.ts";
import { IDENTIFIED_EDITORS_DELAY_MS, identifiedEditors, isEditorIdentity } from "../../testing/identifiedEditors.ts";

const LIMITS: CollabLimits = {
  maxDocumentBytes: 512 * 1024,
  messagesPerSecond: 100,
  messageBurst: 200,
  bytesPerSecond: 1 * MB,
  byteBurst: 2 * MB,
  maxAwarenessBytes: 4 * 1024,
  awarenessPerSecond: 10,
  maxConnectionsPerIp: 20,
  newConnectionsPerIpPerMinute: 60,
  maxClientsPerDocument: 8,
  maxLoadedDocuments: 50,
  firstMessageTimeoutMs: 1_000,
};
const MAX_PAYLOAD_BYTES = 256 * 1024;
/** The legitimate pair's update latency p99 must stay under this during every attack. */
const P99_LIMIT_MS = 100;
/** Process RSS may grow at most this much over its baseline during an attack. */
const RSS_CAP_BYTES = 300 * MB;
const kind = databaseKinds[databaseKinds.length - 1];
const SLOW_LOAD_MS = 300;

/** Each attack gets its own attacker addresses, so per-IP budgets never leak between attacks. */
let nextAttacker = 10;
function attackerAddresses(count: number): string[] {
  const out = Array.from({ length: count }, (_, i) => attackerAddress(nextAttacker + i));
  nextAttacker += count;
  return out;
}

describe(`collab abuse limits on ${kind}`, () => {
  let server: CollabTestServer;
  let drop: () => Promise<void>;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  const opened: WebSocket[] = [];

  before(async () => {
    const db = await createTestDatabase(kind);
    assert.ok(db);
    drop = db.drop;
    server = await startCollabTestServer(db.options, {
      maxPayloadBytes: MAX_PAYLOAD_BYTES,
      limits: LIMITS,
      // Authorisation takes time, as it does against the database: upgrades overlap it.
      access: identifiedEditors(IDENTIFIED_EDITORS_DELAY_MS),
      // Documents named slowload-* take SLOW_LOAD_MS to load, so upgrades that arrive while a
      // document loads (the window where it is not yet counted) can be tested deterministically.
      wrapStorage: (storage: DocumentStorage): DocumentStorage => ({
        load: async (id) => {
          if (id.startsWith("slowload-")) await sleep(SLOW_LOAD_MS);
          return storage.load(id);
        },
        append: (id, update) => storage.append(id, update),
        compact: (id) => storage.compact(id),
        ping: () => storage.ping(),
      }),
    });
    // Warm up (JIT, connection pool, first writes) so the first attack's figures measure the attack.
    const warmUp = await EditingPair.start(server.wsUrl, newDocumentId());
    await sleep(1_000);
    await warmUp.stop();
    warmUp.destroy();
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
  });

  after(async () => {
    for (const socket of opened) socket.terminate();
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    await server?.close();
    await drop?.();
    await failOnLeakedRooms(server);
  });

  async function connect(documentId: string, localAddress: string): Promise<UpgradeOutcome> {
    const outcome = await tryConnect(`${server.wsUrl}/${documentId}`, { localAddress });
    if (outcome.kind === "open") {
      outcome.socket.on("error", () => {});
      rememberCloseCode(outcome.socket);
      opened.push(outcome.socket);
    }
    return outcome;
  }

  /** Waits (bounded) until at most `n` documents are loaded, so earlier attacks do not count. */
  async function waitForRooms(n: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (server.collab.rooms.size > n && Date.now() < deadline) await sleep(50);
  }

  /** Runs `attack` while a pair edits; prints and checks the figures every attack shares. */
  async function underAttack(name: string, attack: () => Promise<Figures>): Promise<void> {
    const crashesBefore = crashes.length;
    const errorsBefore = server.log.errorCount;
    const pair = await EditingPair.start(server.wsUrl, newDocumentId());
    const rss = new RssSampler();
    let figures: Figures = {};
    let report;
    let missing: string[];
    try {
      try {
        await sleep(100);
        figures = await attack();
        await sleep(200);
      } finally {
        rss.stop();
      }
      report = await pair.stop();
      missing = await pair.missingFromDatabase(server.storage);
    } finally {
      pair.destroy();
      for (const socket of opened.splice(0)) socket.terminate();
    }
    const attackCrashes = crashes.length - crashesBefore;
    console.log(
      formatFigures(name, {
        ...figures,
        crashes: attackCrashes,
        serverErrors: server.log.errorCount - errorsBefore,
        pairEdits: report.edits,
        pairP50Ms: report.p50,
        pairP99Ms: report.p99,
        pairMaxMs: report.max,
        peakRssMB: Math.round(rss.peak / MB),
        rssGrowthMB: Math.round(rss.growth / MB),
      }),
    );
    assert.equal(attackCrashes, 0, `process crashes: ${crashes.slice(crashesBefore).map(String).join("; ")}`);
    assert.equal(server.log.errorCount - errorsBefore, 0, server.log.describeErrors());
    assert.equal(report.delivered, report.edits, "every edit of the well-behaved pair reached the other client");
    assert.deepEqual(report.disconnects, [], "the well-behaved pair was never disconnected");
    assert.deepEqual(missing, [], "every edit of the well-behaved pair is in the database");
    assert.ok(report.p99 < P99_LIMIT_MS, `pair latency p99 ${report.p99.toFixed(1)} ms < ${P99_LIMIT_MS} ms`);
    assert.ok(rss.growth < RSS_CAP_BYTES, `RSS grew ${Math.round(rss.growth / MB)} MB (cap ${RSS_CAP_BYTES / MB} MB)`);
  }

  test("oversized frames are closed with 1009", async () => {
    await underAttack("oversized frame", async () => {
      const [address] = attackerAddresses(1);
      const codes: Array<number | null> = [];
      const frame = syncFrame(2, new Uint8Array(MAX_PAYLOAD_BYTES + 1));
      for (let i = 0; i < 10; i++) {
        const outcome = await connect(newDocumentId(), address);
        assert.equal(outcome.kind, "open");
        if (outcome.kind !== "open") continue;
        sendQuietly(outcome.socket, frame);
        codes.push(await closedWithin(outcome.socket, 5_000));
      }
      assert.deepEqual(codes, codes.map(() => 1009));
      return { frames: codes.length, frameBytes: frame.length };
    });
  });

  test("an update that would grow the document past maxDocumentBytes is refused with 4413 and not applied", async () => {
    await underAttack("document size cap", async () => {
      const [address] = attackerAddresses(1);
      const documentId = newDocumentId();
      const outcome = await connect(documentId, address);
      assert.equal(outcome.kind, "open");
      if (outcome.kind !== "open") return {};
      const chunk = 100 * 1024;
      const doc = new Y.Doc();
      let sent = 0;
      let code: number | null = null;
      const closed = closedWithin(outcome.socket, 10_000).then((c) => (code = c));
      for (let i = 0; i < 20 && code === null; i++) {
        const before = Y.encodeStateVector(doc);
        doc.getText("t").insert(doc.getText("t").length, String(i % 10).repeat(chunk));
        sendQuietly(outcome.socket, syncFrame(2, Y.encodeStateAsUpdate(doc, before)));
        sent++;
        await sleep(20);
      }
      await closed;
      assert.equal(code, 4413);
      // The only socket on the document was closed, so its room unloads: what was kept is the
      // stored document. Every chunk that fit is there, whole; nothing of the refused one.
      const deadline = Date.now() + 10_000;
      while (server.collab.rooms.peek(documentId) && Date.now() < deadline) await sleep(50);
      assert.equal(server.collab.rooms.peek(documentId), undefined, "the document unloaded once its socket closed");
      const state = await server.storage.load(documentId);
      const stored = new Y.Doc();
      if (state) Y.applyUpdate(stored, state);
      const text = stored.getText("t").toString();
      stored.destroy();
      const storedBytes = state?.length ?? 0;
      const fitting = Math.floor(LIMITS.maxDocumentBytes / chunk);
      const expected = Array.from({ length: fitting }, (_, i) => String(i % 10).repeat(chunk)).join("");
      assert.ok(storedBytes <= LIMITS.maxDocumentBytes, `stored document is ${storedBytes} bytes, over the cap`);
      assert.equal(text.length % chunk, 0, `no update was half-applied (${text.length} characters stored)`);
      assert.ok(text === expected, `the stored text is the ${fitting} chunks that fit, whole (${text.length} characters stored)`);
      return { frames: sent, closeCode: String(code), storedBytes, storedChunks: text.length / chunk };
    });
  });

  test("a message flood is closed with 4429", async () => {
    await underAttack("message flood", async () => {
      const [address] = attackerAddresses(1);
      const outcome = await connect(newDocumentId(), address);
      assert.equal(outcome.kind, "open");
      if (outcome.kind !== "open") return {};
      const emptyUpdate = syncFrame(2, Uint8Array.of(0, 0));
      let sent = 0;
      const code = closedWithin(outcome.socket, 10_000);
      for (let i = 0; i < 5_000 && outcome.socket.readyState === WebSocket.OPEN; i++) {
        sendQuietly(outcome.socket, emptyUpdate);
        sent++;
        if (i % 500 === 499) await sleep(1);
      }
      assert.equal(await code, 4429);
      return { frames: sent, closeCode: 4429 };
    });
  });

  test("a byte flood is closed with 4429", async () => {
    await underAttack("byte flood", async () => {
      const [address] = attackerAddresses(1);
      const outcome = await connect(newDocumentId(), address);
      assert.equal(outcome.kind, "open");
      if (outcome.kind !== "open") return {};
      // A valid sync step 1 with a 10,000-client state vector: ~60 kB, cheap to answer.
      const sv = new Map<number, number>();
      for (let i = 0; i < 10_000; i++) sv.set(1_000_000 + i, 1_000_000);
      const frame = syncFrame(0, Y.encodeStateVector(sv));
      let sent = 0;
      const code = closedWithin(outcome.socket, 10_000);
      for (let i = 0; i < 150 && outcome.socket.readyState === WebSocket.OPEN; i++) {
        sendQuietly(outcome.socket, frame);
        sent++;
        await sleep(1);
      }
      assert.equal(await code, 4429);
      return { frames: sent, frameBytes: frame.length, closeCode: 4429 };
    });
  });

  test("an awareness update over maxAwarenessBytes is closed with 4413", async () => {
    await underAttack("awareness too large", async () => {
      const [address] = attackerAddresses(1);
      const outcome = await connect(newDocumentId(), address);
      assert.equal(outcome.kind, "open");
      if (outcome.kind !== "open") return {};
      const aw = new awarenessProtocol.Awareness(new Y.Doc());
      aw.setLocalState({ blob: "x".repeat(LIMITS.maxAwarenessBytes * 2) });
      sendQuietly(outcome.socket, awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID])));
      aw.destroy();
      assert.equal(await closedWithin(outcome.socket, 5_000), 4413);
      return { frames: 1, closeCode: 4413 };
    });
  });

  test("an awareness flood is merged: others get a bounded number of frames and the latest state", async () => {
    await underAttack("awareness flood", async () => {
      const [address] = attackerAddresses(1);
      const documentId = newDocumentId();
      const observer = await connect(documentId, attackerAddress(1));
      const flooder = await connect(documentId, address);
      assert.equal(observer.kind, "open");
      assert.equal(flooder.kind, "open");
      if (observer.kind !== "open" || flooder.kind !== "open") return {};
      // Both must be in the room before the flood starts.
      assert.equal((await probe(observer.socket)).kind, "answered");
      assert.equal((await probe(flooder.socket)).kind, "answered");
      const seen = new awarenessProtocol.Awareness(new Y.Doc());
      let received = 0;
      observer.socket.on("message", (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data));
        if (decoding.readVarUint(decoder) !== 1) return;
        received++;
        awarenessProtocol.applyAwarenessUpdate(seen, decoding.readVarUint8Array(decoder), "server");
      });
      const aw = new awarenessProtocol.Awareness(new Y.Doc());
      const updates = 150;
      const started = performance.now();
      for (let i = 1; i <= updates; i++) {
        aw.setLocalState({ cursor: i });
        sendQuietly(flooder.socket, awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID])));
        await sleep(8);
      }
      const floodSeconds = (performance.now() - started) / 1000;
      await sleep(1_500);
      const bound = Math.ceil(LIMITS.awarenessPerSecond * (floodSeconds + 1.5)) + LIMITS.awarenessPerSecond + 2;
      const latest = seen.getStates().get(aw.clientID) as { cursor?: number; user?: unknown } | undefined;
      const flooderOpen = flooder.socket.readyState === WebSocket.OPEN;
      aw.destroy();
      seen.destroy();
      assert.ok(flooderOpen, "an awareness flood is merged, not closed");
      assert.ok(received <= bound, `observer received ${received} awareness frames, bound ${bound}`);
      assert.equal(latest?.cursor, updates, "the observer ends with the flooder's latest state");
      assert.ok(isEditorIdentity(latest?.user), `stamped with the flooder's identity: ${JSON.stringify(latest?.user)}`);
      return { frames: updates, observerFrames: received, bound, floodSeconds: floodSeconds.toFixed(2) };
    });
  });

  test("a connection flood from one IP is refused with 429 (concurrent and per minute)", async () => {
    await underAttack("connection flood from one IP", async () => {
      const [address] = attackerAddresses(1);
      const documents = Array.from({ length: 4 }, () => newDocumentId());
      const first = await Promise.all(Array.from({ length: 40 }, (_, i) => connect(documents[i % 4], address)));
      const open = first.filter((o) => o.kind === "open").length;
      const refused429 = first.filter((o) => o.kind === "refused" && o.status === 429).length;
      assert.equal(open, LIMITS.maxConnectionsPerIp, "concurrent connections admitted");
      assert.equal(refused429, 40 - LIMITS.maxConnectionsPerIp);
      for (const o of first) if (o.kind === "open") o.socket.close();
      await sleep(200);
      const started = performance.now();
      let admitted = open;
      let perMinute429 = 0;
      for (let i = 0; i < 100; i++) {
        const o = await connect(documents[i % 4], address);
        if (o.kind === "open") {
          admitted++;
          o.socket.close();
        } else if (o.kind === "refused" && o.status === 429) perMinute429++;
      }
      const refill = ((performance.now() - started) / 60_000) * LIMITS.newConnectionsPerIpPerMinute;
      assert.ok(perMinute429 > 0, "new connections per minute are limited");
      assert.ok(admitted <= LIMITS.newConnectionsPerIpPerMinute + Math.ceil(refill) + 1, `${admitted} admitted in the first minute`);
      return { upgrades: 140, admitted, refused429: refused429 + perMinute429 };
    });
  });

  test("sockets that send nothing are closed with 4408 after firstMessageTimeoutMs", async () => {
    await underAttack("silent sockets", async () => {
      const [address] = attackerAddresses(1);
      const sockets = await Promise.all(Array.from({ length: 10 }, () => connect(newDocumentId(), address)));
      const codes = await Promise.all(
        sockets.map((o) => (o.kind === "open" ? closedWithin(o.socket, LIMITS.firstMessageTimeoutMs + 2_000) : Promise.resolve(-1))),
      );
      assert.deepEqual(codes, codes.map(() => 4408));
      return { sockets: sockets.length };
    });
  });

  test("a document with maxClientsPerDocument clients refuses more with 503, even for concurrent upgrades", async () => {
    await underAttack("clients per document", async () => {
      const addresses = attackerAddresses(2);
      const documentId = `slowload-${newDocumentId()}`;
      // Concurrent upgrades to a document that is not loaded yet.
      const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => connect(documentId, addresses[i % 2])));
      await Promise.all(burst.map((o) => (o.kind === "open" ? probe(o.socket) : null)));
      const admitted = burst.filter((o) => o.kind === "open" && o.socket.readyState === WebSocket.OPEN).length;
      const refused503 = burst.filter((o) => o.kind === "refused" && o.status === 503).length;
      const holders = server.collab.rooms.peek(documentId)?.connectionCount ?? 0;
      assert.ok(holders <= LIMITS.maxClientsPerDocument, `${holders} clients on one document (cap ${LIMITS.maxClientsPerDocument})`);
      assert.ok(admitted <= LIMITS.maxClientsPerDocument, `${admitted} admitted`);
      assert.ok(refused503 >= 30 - LIMITS.maxClientsPerDocument);
      return { upgrades: 30, admitted, refused503, clientsInRoom: holders };
    });
  });

  test("thousands of upgrades to distinct document names are refused past the limits; memory stays bounded", async () => {
    await underAttack("distinct document names", async () => {
      // From one address: the per-address budget stops it.
      const [single] = attackerAddresses(1);
      const singleOutcomes: UpgradeOutcome[] = [];
      // Each admitted socket speaks at once: a silent one would be closed after
      // firstMessageTimeoutMs (1 s, shorter than 200 upgrades take on a busy machine) and free
      // its place, which is not what this test is about.
      for (let i = 0; i < 200; i++) {
        const outcome = await connect(`names-${i}-${newDocumentId()}`, single);
        if (outcome.kind === "open") sendQuietly(outcome.socket, Uint8Array.of(3));
        singleOutcomes.push(outcome);
      }
      const singleAdmitted = singleOutcomes.filter((o) => o.kind === "open").length;
      assert.ok(singleAdmitted <= LIMITS.maxConnectionsPerIp, `${singleAdmitted} admitted from one address`);

      // From many addresses: the loaded-documents cap stops it.
      const addresses = attackerAddresses(100);
      let peakRooms = server.collab.rooms.size;
      const sampler = setInterval(() => {
        peakRooms = Math.max(peakRooms, server.collab.rooms.size);
      }, 5);
      const outcomes: UpgradeOutcome[] = [];
      let next = 0;
      const total = 2_000;
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (next < total) {
            const i = next++;
            const o = await connect(`names-${i}-${newDocumentId()}`, addresses[i % addresses.length]);
            outcomes.push(o);
            if (o.kind === "open") sendQuietly(o.socket, Uint8Array.of(3));
          }
        }),
      );
      await sleep(500);
      clearInterval(sampler);
      peakRooms = Math.max(peakRooms, server.collab.rooms.size);
      const admitted = outcomes.filter((o) => o.kind === "open").length;
      const refused503 = outcomes.filter((o) => o.kind === "refused" && o.status === 503).length;
      const refused429 = outcomes.filter((o) => o.kind === "refused" && o.status === 429).length;
      assert.ok(peakRooms <= LIMITS.maxLoadedDocuments, `peak loaded documents ${peakRooms} (cap ${LIMITS.maxLoadedDocuments})`);
      assert.ok(refused503 > 0, "refused with 503 past maxLoadedDocuments");
      return { upgrades: 200 + total, singleAdmitted, admitted, refused503, refused429, peakLoadedDocuments: peakRooms };
    });
  });

  test("upgrades to distinct documents that are still loading cannot exceed maxLoadedDocuments", async () => {
    await underAttack("loaded documents while loading", async () => {
      const addresses = attackerAddresses(20);
      await waitForRooms(5);
      const before = server.collab.rooms.size;
      let peakRooms = before;
      const sampler = setInterval(() => {
        peakRooms = Math.max(peakRooms, server.collab.rooms.size);
      }, 5);
      const burst = await Promise.all(
        Array.from({ length: 2 * LIMITS.maxLoadedDocuments }, (_, i) => connect(`slowload-${i}-${newDocumentId()}`, addresses[i % addresses.length])),
      );
      for (const o of burst) if (o.kind === "open") sendQuietly(o.socket, Uint8Array.of(3));
      await sleep(SLOW_LOAD_MS + 500);
      clearInterval(sampler);
      peakRooms = Math.max(peakRooms, server.collab.rooms.size);
      const admitted = burst.filter((o) => o.kind === "open").length;
      const refused503 = burst.filter((o) => o.kind === "refused" && o.status === 503).length;
      assert.ok(peakRooms <= LIMITS.maxLoadedDocuments, `peak loaded documents ${peakRooms} (cap ${LIMITS.maxLoadedDocuments})`);
      return { upgrades: burst.length, loadedBefore: before, admitted, refused503, peakLoadedDocuments: peakRooms };
    });
  });

  test("concurrent upgrades to distinct documents, authorised asynchronously, cannot load more than maxLoadedDocuments", async () => {
    await underAttack("loaded documents across authorisation", async () => {
      // Every upgrade is checked against the cap before its (20 ms) authorisation: counted only
      // once loaded, all 150 used to pass the check together (101 loaded against a cap of 50).
      const addresses = attackerAddresses(20);
      await waitForRooms(5);
      const before = server.collab.rooms.size;
      let peakRooms = before;
      const sampler = setInterval(() => {
        peakRooms = Math.max(peakRooms, server.collab.rooms.size);
      }, 2);
      const upgrades = 150;
      const burst = await Promise.all(
        Array.from({ length: upgrades }, (_, i) => connect(`authcap-${i}-${newDocumentId()}`, addresses[i % addresses.length])),
      );
      for (const o of burst) if (o.kind === "open") sendQuietly(o.socket, Uint8Array.of(3));
      await sleep(500);
      clearInterval(sampler);
      peakRooms = Math.max(peakRooms, server.collab.rooms.size);
      const admitted = burst.filter((o) => o.kind === "open").length;
      const refused503 = burst.filter((o) => o.kind === "refused" && o.status === 503).length;
      const other = burst.filter((o) => o.kind !== "open" && !(o.kind === "refused" && o.status === 503)).map((o) => JSON.stringify(o));
      assert.ok(peakRooms <= LIMITS.maxLoadedDocuments, `peak loaded documents ${peakRooms} (cap ${LIMITS.maxLoadedDocuments})`);
      assert.ok(admitted <= LIMITS.maxLoadedDocuments - before, `${admitted} admitted with ${before} already loaded (cap ${LIMITS.maxLoadedDocuments})`);
      assert.ok(admitted > 0, "documents under the cap are still admitted");
      assert.deepEqual(other, [], "every upgrade not admitted is refused with 503");
      assert.equal(refused503, upgrades - admitted);
      return { upgrades, loadedBefore: before, admitted, refused503, peakLoadedDocuments: peakRooms };
    });
  });

  test("subdocument amplification: updates creating thousands of subdocuments cost the others nothing", async () => {
    await underAttack("subdocument amplification", async () => {
      const [address] = attackerAddresses(1);
      const [, subdocs] = craftedUpdates().find(([name]) => name === "update: many subdocuments")!;
      let frames = 0;
      const codes: Array<number | null> = [];
      for (let round = 0; round < 10; round++) {
        const o = await connect(newDocumentId(), address);
        if (o.kind !== "open") continue;
        for (let i = 0; i < 5; i++) {
          sendQuietly(o.socket, syncFrame(2, subdocs));
          frames++;
        }
        const result = await probe(o.socket);
        codes.push(result.kind === "closed" ? result.code : null);
        o.socket.close();
        await sleep(50);
      }
      // Refused at the first frame, before Yjs builds a document per subdocument.
      assert.deepEqual(codes, Array.from({ length: 10 }, () => 4400), "every connection sending subdocuments is closed with 4400");
      return { frames, frameBytes: subdocs.length + 4, closes: codes.map(String).join(",") };
    });
  });
});
