// Fuzz suite: random, mutated and hand-crafted hostile frames over many raw sockets against
// the live collab server, while a well-behaved client pair keeps editing. Zero crashes, zero
// errors logged by the server, zero hangs (every socket answers its own probe or is closed
// with a code one of its frames calls for: 4400 malformed, 4413 too large, 1009 over the
// frame limit; 1011 is a server bug), every awareness state relayed carries the identity the
// server stamped, nothing legitimate lost. The in-process server authorises like the real
// policy (20 ms, an identity per connection); the child process runs the real policy.
// Seeded: the seed is printed, SEED=<n> replays, FUZZ_CONNECTION=<i> replays only one
// connection of that seed. FUZZ_LONG=1 sends 1,000,000 frames (FUZZ_FRAMES=<n> overrides) and
// always runs the child-process variant.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newDocumentId } from "../../../lib/documentId.ts";
import { CloseCode } from "../../../lib/closeCodes.ts";
import { createTestDatabase, databaseKinds } from "../../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../../testing/startCollabTestServer.ts";
import { Random, testSeed } from "../../testing/seededRandom.ts";
import { FrameFuzzer, type FuzzFrame } from "../../testing/abuseFrames.ts";
import {
  attackerAddress,
  AwarenessWatcher,
  EditingPair,
  failOnLeakedRooms,
  formatFigures,
  MB,
  probe,
  PROBE_FRAME_COUNT,
  rememberCloseCode,
  RssSampler,
  sendQuietly,
  tryConnect,
  type ProbeResult,
} from "../../testing/abuseClients.ts";
import { startEventLoopWatchdog, type Watchdog } from "../../testing/eventLoopWatchdog.ts";
import { freePort, startCollabChild } from "../../testing/collabChildProcess.ts";
import { seedEditableDocuments } from "../../testing/accessFixtures.ts";
import { identifiedEditors, isEditorIdentity } from "../../testing/identifiedEditors.ts";
import { DEFAULT_LIMITS } from "../limits.ts";

const LONG = process.env.FUZZ_LONG === "1";
const TOTAL_FRAMES = Number(process.env.FUZZ_FRAMES ?? (LONG ? 1_000_000 : 100_000));
const CHILD_FRAMES = LONG ? 100_000 : 10_000;
/** Concurrent attacker sockets. */
const CONCURRENCY = 64;
/** Frames per connection before the probe: 1..MAX (most connections die at a bad frame). */
const MAX_FRAMES_PER_CONNECTION = 60;
const MAX_PAYLOAD_BYTES = 256 * 1024;
/** A socket that neither answers the probe nor closes within this is a hang. */
const PROBE_TIMEOUT_MS = 3_000;
/** After the fuzz, every fuzzed document's writes must commit within this. */
const WRITES_SETTLE_MS = 10_000;
/** The in-process event loop must never block this long. */
const WATCHDOG_MS = 15_000;
const FUZZ_DOCUMENTS = 12;
/** This many failed upgrades in a row means the server is gone (crashed child): stop (and
 *  fail: no upgrade may be refused, and every planned frame must be sent). */
const MAX_FAILED_UPGRADES_IN_A_ROW = 200;
/** The abuse suites run on one engine: PostgreSQL when DATABASE_URL is set (quick to start), else PGlite. */
const kind = databaseKinds[databaseKinds.length - 1];

interface FuzzTally {
  connections: number;
  framesSent: number;
  answered: number;
  closesByCode: Map<number, number>;
  refusedUpgrades: Map<string, number>;
  /** Closed with a code none of the connection's frames calls for, or answered despite a
   *  frame that must close it. */
  badCloses: Array<{ connection: number; outcome: string; lastKinds: string[] }>;
  hangs: Array<{ connection: number; lastKinds: string[] }>;
  /** Frames sent by kind. */
  kinds: Map<string, number>;
}

/**
 * Why the outcome of a connection is wrong, or null when it is right: a close must carry a
 * code that one of the frames sent calls for (or the rate limit, past the burst), and a
 * connection that sent a frame no server may accept must not answer its probe.
 */
function judge(frames: readonly FuzzFrame[], result: ProbeResult): string | null {
  if (result.kind === "hang") return "hang";
  if (result.kind === "answered") {
    const unacceptable = frames.find((f) => f.alwaysCloses);
    return unacceptable ? `answered after "${unacceptable.kind}"` : null;
  }
  const allowed = new Set(frames.flatMap((f) => f.closes));
  const bytes = frames.reduce((sum, f) => sum + f.data.length, 0);
  if (frames.length + PROBE_FRAME_COUNT > DEFAULT_LIMITS.messageBurst || bytes > DEFAULT_LIMITS.byteBurst) allowed.add(CloseCode.RATE_LIMITED);
  return allowed.has(result.code) ? null : `closed ${result.code}, expected one of ${[...allowed].join(",") || "none (all frames valid)"}`;
}

/** The documents one fuzz run spreads its connections over. */
function fuzzDocuments(seed: number): string[] {
  return Array.from({ length: FUZZ_DOCUMENTS }, (_, i) => `fuzz-${seed}-${i}`);
}

/** Runs the fuzz loop against `wsUrl` until `totalFrames` were sent. */
async function fuzz(
  wsUrl: string,
  seed: number,
  totalFrames: number,
  onlyConnection: number | null,
  watchdog: Watchdog | null,
  /** Query string of each document's socket URL (a share link's token on a server with accounts). */
  query: (documentId: string) => string = () => "",
): Promise<FuzzTally> {
  const fuzzer = new FrameFuzzer(new Random(seed), MAX_PAYLOAD_BYTES);
  const documents = fuzzDocuments(seed);
  const tally: FuzzTally = {
    connections: 0,
    framesSent: 0,
    answered: 0,
    closesByCode: new Map(),
    refusedUpgrades: new Map(),
    badCloses: [],
    hangs: [],
    kinds: fuzzer.counts,
  };
  let nextConnection = onlyConnection ?? 0;
  /** Upgrades that failed in a row: a dead server ends the run instead of spinning. */
  let failedInARow = 0;

  const worker = async () => {
    while (tally.framesSent < totalFrames && failedInARow < MAX_FAILED_UPGRADES_IN_A_ROW) {
      const connection = nextConnection++;
      if (onlyConnection !== null && connection !== onlyConnection) return;
      const random = new Random(seed + 7_919 * (connection + 1));
      const documentId = documents[random.int(0, documents.length)];
      const t0 = performance.now();
      const outcome = await tryConnect(`${wsUrl}/${documentId}${query(documentId)}`, { localAddress: attackerAddress(connection) });
      tally.connections++;
      if (outcome.kind !== "open") {
        const key = outcome.kind === "refused" ? `http ${outcome.status}` : outcome.message;
        tally.refusedUpgrades.set(key, (tally.refusedUpgrades.get(key) ?? 0) + 1);
        failedInARow++;
        continue;
      }
      failedInARow = 0;
      const { socket } = outcome;
      socket.on("error", () => {});
      rememberCloseCode(socket);
      // Frames for one connection are generated synchronously from its own generator, so a
      // connection's frames depend only on (seed, connection) and FUZZ_CONNECTION replays it.
      fuzzer.random = random;
      const count = random.int(1, MAX_FRAMES_PER_CONNECTION + 1);
      const frames: FuzzFrame[] = [];
      for (let i = 0; i < count && tally.framesSent < totalFrames; i++) {
        const frame: FuzzFrame = fuzzer.next();
        frames.push(frame);
        sendQuietly(socket, frame.data, frame.binary);
        tally.framesSent++;
      }
      const kinds = frames.map((f) => f.kind);
      watchdog?.setMessage(`seed ${seed}; replay with SEED=${seed} FUZZ_CONNECTION=<i>; connection ${connection} was probing`);
      const t1 = performance.now();
      const result: ProbeResult = await probe(socket, PROBE_TIMEOUT_MS);
      if (process.env.FUZZ_DEBUG) console.log(`conn ${connection} connect ${(t1 - t0).toFixed(0)} probe ${(performance.now() - t1).toFixed(0)} ${JSON.stringify(result)} ${kinds.slice(-2)}`);
      const wrong = judge(frames, result);
      if (result.kind === "answered") {
        tally.answered++;
        socket.close(1000);
      } else if (result.kind === "closed") {
        tally.closesByCode.set(result.code, (tally.closesByCode.get(result.code) ?? 0) + 1);
      } else {
        tally.hangs.push({ connection, lastKinds: kinds.slice(-3) });
        socket.terminate();
      }
      if (wrong && result.kind !== "hang") tally.badCloses.push({ connection, outcome: wrong, lastKinds: kinds.slice(-3) });
    }
  };
  await Promise.all(Array.from({ length: onlyConnection === null ? CONCURRENCY : 1 }, worker));
  return tally;
}

function printTally(label: string, tally: FuzzTally, ms: number, extra: Record<string, string | number>): void {
  const closes = [...tally.closesByCode].sort(([a], [b]) => a - b).map(([c, n]) => `${c}:${n}`).join(",");
  const refused = [...tally.refusedUpgrades].map(([k, n]) => `${k}:${n}`).join(",") || "none";
  console.log(
    formatFigures(label, {
      frames: tally.framesSent,
      connections: tally.connections,
      answered: tally.answered,
      closesByCode: closes,
      refusedUpgrades: refused,
      badCloses: tally.badCloses.length,
      hangs: tally.hangs.length,
      durationMs: Math.round(ms),
      ...extra,
    }),
  );
}

describe(`collab fuzz on ${kind}`, () => {
  let server: CollabTestServer;
  let drop: () => Promise<void>;
  let watchdog: Watchdog;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  before(async () => {
    const db = await createTestDatabase(kind);
    assert.ok(db);
    drop = db.drop;
    server = await startCollabTestServer(db.options, {
      maxPayloadBytes: MAX_PAYLOAD_BYTES,
      // Like the real policy: authorisation takes time, and awareness is stamped per connection.
      access: identifiedEditors(),
      // Per-IP and per-process caps out of the way: this suite is about frame parsing.
      limits: {
        maxConnectionsPerIp: 100_000,
        newConnectionsPerIpPerMinute: 1_000_000,
        maxLoadedDocuments: 100_000,
        maxClientsPerDocument: 100_000,
      },
    });
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
    watchdog = startEventLoopWatchdog(WATCHDOG_MS, "collab fuzz");
  });

  after(async () => {
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    await watchdog?.stop();
    // A poisoned write queue (retried forever) would keep close() and the process alive.
    const closed = await Promise.race([server?.close().then(() => true), new Promise((r) => setTimeout(r, 15_000, false))]);
    if (!closed) {
      console.error("[abuse] server.close() did not finish within 15 s (pending writes never commit); exiting");
      setTimeout(() => process.exit(1), 500);
      return;
    }
    await drop?.();
    await failOnLeakedRooms(server);
  });

  /** Nothing the fuzz sent may reach a code path that logs an error (a bug behind a close code). */
  function assertNoServerErrors(): void {
    assert.equal(server.log.errorCount, 0, server.log.describeErrors());
  }

  test("each crafted malformed update and awareness payload is answered or closed with the code it calls for", async () => {
    const fuzzer = new FrameFuzzer(new Random(1), MAX_PAYLOAD_BYTES);
    const failures: string[] = [];
    const outcomes = new Map<string, number>();
    for (const frame of fuzzer.allCrafted()) {
      const documentId = newDocumentId();
      const outcome = await tryConnect(`${server.wsUrl}/${documentId}`, { localAddress: attackerAddress(0) });
      if (outcome.kind !== "open") {
        failures.push(`${frame.kind}: upgrade ${JSON.stringify(outcome)}`);
        continue;
      }
      const { socket } = outcome;
      socket.on("error", () => {});
      rememberCloseCode(socket);
      watchdog.setMessage(`crafted frame "${frame.kind}" blocked the event loop`);
      const sentAt = performance.now();
      sendQuietly(socket, frame.data, true);
      const result = await probe(socket, PROBE_TIMEOUT_MS);
      if (process.env.FUZZ_DEBUG) console.log(`${(performance.now() - sentAt).toFixed(1)} ms ${frame.kind} -> ${JSON.stringify(result)}`);
      const label = result.kind === "closed" ? `closed ${result.code}` : result.kind;
      outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
      const wrong = judge([frame], result);
      if (wrong) failures.push(`${frame.kind}: ${wrong}`);
      if (result.kind === "hang") socket.terminate();
      if (result.kind === "answered") socket.close(1000);
      // The room must still serve a well-behaved client after the crafted frame.
      const check = await tryConnect(`${server.wsUrl}/${documentId}`);
      if (check.kind !== "open") failures.push(`${frame.kind}: document unusable afterwards (${JSON.stringify(check)})`);
      else {
        check.socket.on("error", () => {});
        const after = await probe(check.socket, PROBE_TIMEOUT_MS);
        if (after.kind !== "answered") failures.push(`${frame.kind}: document unusable afterwards (${JSON.stringify(after)})`);
        check.socket.close(1000);
      }
    }
    console.log(formatFigures("crafted frames", { frames: fuzzer.allCrafted().length, outcomes: [...outcomes].map(([k, n]) => `${k}:${n}`).join(",") }));
    assert.equal(crashes.length, 0, `process crashes: ${[...new Set(crashes.map(String))].join(" | ")}`);
    assert.deepEqual(failures, []);
    assertNoServerErrors();
  });

  test("an update whose string claims more bytes than the frame holds never reads past the frame", async () => {
    // lib0 < 0.2.115 built views with `new Uint8Array(arr.buffer, ...)`, so a declared length
    // past the end of an update read whatever followed in the (pooled) buffer: other sockets'
    // bytes could end up in the document. Sent fragmented so ws concatenates into Node's pool.
    const documentId = newDocumentId();
    const outcome = await tryConnect(`${server.wsUrl}/${documentId}`, { localAddress: attackerAddress(1) });
    assert.equal(outcome.kind, "open");
    if (outcome.kind !== "open") return;
    const { socket } = outcome;
    socket.on("error", () => {});
    rememberCloseCode(socket);
    const frame = new FrameFuzzer(new Random(1), MAX_PAYLOAD_BYTES)
      .allCrafted()
      .find((f) => f.kind === "update: string length past the frame by 200 bytes");
    assert.ok(frame);
    const data = frame.data as Uint8Array;
    socket.send(data.subarray(0, 5), { binary: true, fin: false });
    socket.send(data.subarray(5), { binary: true, fin: true });
    const result = await probe(socket, PROBE_TIMEOUT_MS);
    assert.deepEqual(result, { kind: "closed", code: 4400 });
    const room = server.collab.rooms.peek(documentId);
    assert.equal(room?.doc.getText("t").length ?? 0, 0, "nothing from outside the frame was applied");
  });

  test(`${TOTAL_FRAMES.toLocaleString("en")} random and mutated frames over raw sockets: no crash, no error, no hang, every close as its frames call for`, async () => {
    const seed = testSeed("collab fuzz");
    const only = process.env.FUZZ_CONNECTION ? Number(process.env.FUZZ_CONNECTION) : null;
    const rss = new RssSampler();
    const pair = await EditingPair.start(server.wsUrl, newDocumentId());
    // One observer per fuzzed document: whatever awareness the fuzz gets relayed must carry
    // the identity the server stamped for its sender.
    const watchers = await Promise.all(fuzzDocuments(seed).map((id) => AwarenessWatcher.open(`${server.wsUrl}/${id}`, isEditorIdentity)));
    const started = performance.now();
    let tally: FuzzTally;
    let report;
    let missing: string[];
    try {
      try {
        tally = await fuzz(server.wsUrl, seed, only === null ? TOTAL_FRAMES : Number.POSITIVE_INFINITY, only, watchdog);
      } finally {
        report = await pair.stop();
        rss.stop();
        for (const watcher of watchers) watcher.close();
      }
      missing = await pair.missingFromDatabase(server.storage);
    } finally {
      pair.destroy();
    }
    const relayed = watchers.reduce((sum, w) => sum + w.seen.states, 0);
    const unstamped = watchers.flatMap((w) => w.seen.unstamped);
    const unstampedStates = watchers.reduce((sum, w) => sum + w.seen.unstampedStates, 0);
    const watchersClosed = watchers.map((w) => w.seen.closedWith).filter((code) => code !== null && code !== 1000 && code !== 1005);
    const duration = performance.now() - started;
    // What the fuzz got applied must also be writable: no document's write queue may be stuck.
    const documents = Array.from({ length: FUZZ_DOCUMENTS }, (_, i) => `fuzz-${seed}-${i}`);
    const settleDeadline = Date.now() + WRITES_SETTLE_MS;
    const stuck = () => documents.filter((id) => server.collab.rooms.peek(id) && !server.collab.rooms.peek(id)!.writer.idle);
    // Every fuzz socket is closed by now, so every fuzzed document must unload.
    const loaded = () => documents.filter((id) => server.collab.rooms.peek(id));
    while ((stuck().length > 0 || loaded().length > 0) && Date.now() < settleDeadline) await new Promise((r) => setTimeout(r, 100));
    const stuckWrites = stuck();
    const leakedRooms = loaded();
    printTally("fuzz (in-process server)", tally, duration, {
      crashes: crashes.length,
      crashKinds: [...new Set(crashes.map((e) => String(e)))].join(" | ") || "none",
      stuckWriteQueues: stuckWrites.length,
      roomsStillLoaded: leakedRooms.length,
      serverErrors: server.log.errorCount,
      awarenessStatesRelayed: relayed,
      unstampedStates,
      pairEdits: report.edits,
      pairP50Ms: report.p50,
      pairP99Ms: report.p99,
      pairMaxMs: report.max,
      peakRssMB: Math.round(rss.peak / MB),
      rssGrowthMB: Math.round(rss.growth / MB),
    });
    console.log(`[abuse] fuzz frame kinds: ${JSON.stringify(Object.fromEntries([...tally.kinds].sort(([, a], [, b]) => b - a)))}`);
    assert.equal(crashes.length, 0, `process crashes: ${[...new Set(crashes.map(String))].join(" | ")}`);
    assert.deepEqual(tally.hangs.slice(0, 5), [], `hung sockets (${tally.hangs.length}; replay with SEED=${seed} FUZZ_CONNECTION=<connection>)`);
    assert.deepEqual(tally.hangs, [], `hung sockets (replay with SEED=${seed} FUZZ_CONNECTION=<connection>)`);
    assert.deepEqual(tally.badCloses.slice(0, 5), [], `wrong outcomes (${tally.badCloses.length}; replay with SEED=${seed} FUZZ_CONNECTION=<connection>)`);
    assertNoServerErrors();
    if (only === null) assert.equal(tally.framesSent, TOTAL_FRAMES, "every planned frame was sent");
    assert.deepEqual(unstamped, [], `${unstampedStates} awareness state(s) relayed without the sender's stamped identity`);
    if (only === null) assert.ok(relayed > 0, "the fuzz got awareness states relayed (so stamping was exercised)");
    assert.deepEqual(watchersClosed, [], "the awareness observers were never disconnected");
    assert.deepEqual(stuckWrites, [], "documents whose writes never commit after the fuzz");
    assert.deepEqual(leakedRooms, [], "documents still loaded after every fuzz socket closed (leaked connections)");
    assert.deepEqual([...tally.refusedUpgrades], [], "upgrades refused during the fuzz (limits are out of the way)");
    assert.equal(report.delivered, report.edits, "every edit of the well-behaved pair reached the other client");
    assert.deepEqual(report.disconnects, [], "the well-behaved pair was never disconnected");
    assert.deepEqual(missing, [], "every edit of the well-behaved pair is in the database");
    assert.ok(report.max < 2_000, `the pair kept editing throughout (slowest edit ${report.max.toFixed(0)} ms)`);
  });

  test(
    "child-process server survives the fuzz and keeps serving",
    { skip: !process.env.DATABASE_URL && !LONG ? "PGlite start-up is slow: runs with DATABASE_URL or FUZZ_LONG=1" : false },
    async () => {
      const seed = testSeed("collab fuzz child") + 1;
      const db = await createTestDatabase(kind);
      assert.ok(db);
      const dataDir = await mkdtemp(join(tmpdir(), "collab-fuzz-child-"));
      // The child runs the real access policy: every fuzzed document (and the editing pair's)
      // gets an edit link, so the frames reach the protocol rather than stopping at the upgrade.
      const pairDocument = newDocumentId();
      const tokens = await seedEditableDocuments(
        { databaseUrl: db.options.databaseUrl, dataDir: db.options.databaseUrl ? dataDir : db.options.dataDir },
        [...fuzzDocuments(seed), pairDocument],
      );
      const child = await startCollabChild(await freePort(), {
        databaseUrl: db.options.databaseUrl,
        dataDir: db.options.databaseUrl ? dataDir : db.options.dataDir,
        extra: { MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES), LOG_LEVEL: "silent" },
      });
      try {
        const pair = await EditingPair.start(child.wsUrl, pairDocument, 20, { token: tokens.get(pairDocument)! });
        const started = performance.now();
        let tally: FuzzTally;
        let report;
        try {
          tally = await fuzz(child.wsUrl, seed, CHILD_FRAMES, null, null, (id) => `?token=${tokens.get(id)}`);
          report = await pair.stop();
        } finally {
          pair.destroy();
        }
        const ready = await fetch(`${child.httpUrl}/readyz`).then((r) => r.status, (e) => String(e));
        printTally("fuzz (child process, default limits)", tally, performance.now() - started, {
          exited: String(child.exited),
          readyz: ready,
          pairP99Ms: report.p99,
        });
        assert.equal(child.exited, false, `child process crashed:\n${child.stderr.slice(-2_000)}`);
        assert.equal(ready, 200);
        assert.deepEqual([...tally.refusedUpgrades], [], "no fuzz upgrade was refused (each document has an edit link)");
        assert.equal(tally.framesSent, CHILD_FRAMES, "every planned frame was sent");
        assert.deepEqual(tally.hangs, []);
        // The child logs errors to stderr even when LOG_LEVEL is silent; they explain a wrong close.
        const errorLines = child.stderr.split("\n").filter((line) => line.includes('"level":"error"'));
        assert.deepEqual(tally.badCloses.slice(0, 5), [], `wrong outcomes (${tally.badCloses.length}; replay with SEED=${seed}); the child's errors:\n${errorLines.slice(0, 5).join("\n")}`);
        assert.deepEqual(errorLines.slice(0, 5), [], `${errorLines.length} error(s) logged by the child`);
        assert.equal(report.delivered, report.edits);
        assert.deepEqual(report.disconnects, []);
      } finally {
        await child.stop("SIGTERM").catch(() => child.stop("SIGKILL"));
        await rm(dataDir, { recursive: true, force: true });
        await db.drop();
      }
    },
  );
});
