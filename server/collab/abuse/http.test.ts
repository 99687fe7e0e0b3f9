// HTTP-level abuse against the process's real http server (server/startServer.ts, collab
// only): slowloris upgrades, which the server must close by itself (the server runs with a
// short headersTimeout so the suite can wait for that; the timing of that close against the
// default is httpLimits.test.ts's), and the CVE-2024-37890 regression (ws < 8.17.1 crashed
// on an upgrade request with more headers than server.maxHeadersCount).

import assert from "node:assert/strict";
import http from "node:http";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";
import { newDocumentId } from "../../../lib/documentId.ts";
import { loadConfig } from "../../config.ts";
import { CONNECTIONS_CHECK_INTERVAL_MS, HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, startServer, type RunningServer } from "../../startServer.ts";
import { SqlDocumentStorage } from "../storage/SqlDocumentStorage.ts";
import { createTestDatabase, databaseKinds } from "../../testing/testDatabase.ts";
import { attackerAddress, EditingPair, formatFigures, MB, RssSampler } from "../../testing/abuseClients.ts";
import { manyHeadersUpgrade, rawRequest, slowUpgrade } from "../../testing/rawHttp.ts";
import { connectClient, synced } from "../../testing/yClients.ts";
import { createLink } from "../../testing/accessFixtures.ts";
import { sleep } from "../../testing/sleep.ts";

const SLOWLORIS_SOCKETS = 300;
/** The server's headersTimeout in this suite: short, so every slowloris socket is closed
 *  within the test (the default, HEADERS_TIMEOUT_MS, is checked below). */
const SUITE_HEADERS_TIMEOUT_MS = 2_000;
/** Slack past headersTimeout + Node's check interval for 300 closes on a busy machine. */
const CLOSE_SLACK_MS = 3_000;
const kind = databaseKinds[databaseKinds.length - 1];

describe(`http abuse against startServer on ${kind}`, () => {
  let running: RunningServer;
  let httpServer: http.Server | null = null;
  let drop: () => Promise<void>;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  before(async () => {
    const db = await createTestDatabase(kind);
    assert.ok(db);
    drop = db.drop;
    // startServer keeps its http.Server to itself: note the one it creates.
    const createServer = http.createServer;
    (http as { createServer: unknown }).createServer = (...args: Parameters<typeof http.createServer>) => {
      httpServer = createServer(...args);
      return httpServer;
    };
    try {
      const config = { ...loadConfig({}), port: 0, host: "127.0.0.1", databaseUrl: db.options.databaseUrl, dataDir: db.options.dataDir };
      running = await startServer(config, { withNext: false, headersTimeoutMs: SUITE_HEADERS_TIMEOUT_MS });
    } finally {
      (http as { createServer: unknown }).createServer = createServer;
    }
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
  });

  after(async () => {
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    await running?.close();
    await drop?.();
  });

  const wsUrl = () => `ws://127.0.0.1:${running.port}/collab`;
  /** A document the legitimate clients may edit: the server runs the real access policy. */
  async function editableDocument(): Promise<{ id: string; params: { token: string } }> {
    const id = newDocumentId();
    await running.database.prisma.document.create({ data: { id } });
    return { id, params: { token: (await createLink(running.database.prisma, id, "editor")).token } };
  }

  test("the http server bounds how long request headers may take", () => {
    assert.ok(httpServer, "startServer created an http server");
    const { headersTimeout, requestTimeout, connectionsCheckingInterval } = httpServer as http.Server & { connectionsCheckingInterval: number };
    // The defaults a deployment runs with (this suite's server shortens headersTimeout).
    const worstCaseMs = HEADERS_TIMEOUT_MS + CONNECTIONS_CHECK_INTERVAL_MS;
    console.log(formatFigures("http timeouts", { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, CONNECTIONS_CHECK_INTERVAL_MS, slowHeadersHeldAtMostMs: worstCaseMs }));
    assert.ok(HEADERS_TIMEOUT_MS > 0 && HEADERS_TIMEOUT_MS <= 20_000, `HEADERS_TIMEOUT_MS ${HEADERS_TIMEOUT_MS} ms (Node's default is 60 s)`);
    assert.ok(REQUEST_TIMEOUT_MS > 0 && REQUEST_TIMEOUT_MS <= 120_000, `REQUEST_TIMEOUT_MS ${REQUEST_TIMEOUT_MS} ms (Node's default is 300 s)`);
    assert.ok(HEADERS_TIMEOUT_MS <= REQUEST_TIMEOUT_MS, "headersTimeout <= requestTimeout");
    // Node enforces both only every connectionsCheckingInterval.
    assert.ok(worstCaseMs <= 60_000, `a slow request is held up to ${worstCaseMs} ms`);
    // ...and startServer applies them (headersTimeout as asked).
    assert.equal(headersTimeout, SUITE_HEADERS_TIMEOUT_MS);
    assert.equal(requestTimeout, REQUEST_TIMEOUT_MS);
    assert.equal(connectionsCheckingInterval, CONNECTIONS_CHECK_INTERVAL_MS);
  });

  test(`slowloris: ${SLOWLORIS_SOCKETS} upgrades dribbling headers cost the others nothing and are closed by the server`, async () => {
    const rss = new RssSampler();
    const shared = await editableDocument();
    const pair = await EditingPair.start(wsUrl(), shared.id, 20, shared.params);
    const closeLimitMs = SUITE_HEADERS_TIMEOUT_MS + CONNECTIONS_CHECK_INTERVAL_MS + CLOSE_SLACK_MS;
    const slow = Array.from({ length: SLOWLORIS_SOCKETS }, (_, i) =>
      // Still dribbling well past the limit: only the server can end them in time.
      slowUpgrade(running.port, `/collab/${newDocumentId()}`, { localAddress: attackerAddress(i), maxMs: closeLimitMs + 5_000 }),
    );
    let report;
    let missing: string[] = [];
    let freshClientMs = Number.NaN;
    let results: Array<{ closedAfterMs: number | null; status: number | null }> = [];
    try {
      await sleep(1_000);
      // A newcomer still gets in while the slow sockets are held.
      const started = performance.now();
      const newcomer = await editableDocument();
      const fresh = connectClient(wsUrl(), newcomer.id, undefined, newcomer.params);
      try {
        await synced(fresh, 5_000);
        freshClientMs = performance.now() - started;
      } finally {
        fresh.destroy();
      }
      results = await Promise.all(slow.map((s) => s.closed));
      report = await pair.stop();
      missing = await pair.missingFromDatabase(new SqlDocumentStorage(running.database.sql));
    } finally {
      for (const s of slow) s.destroy();
      pair.destroy();
      rss.stop();
    }
    const closedByServer = results.filter((r) => r.closedAfterMs !== null);
    console.log(
      formatFigures("slowloris upgrades", {
        sockets: SLOWLORIS_SOCKETS,
        closedByServer: closedByServer.length,
        slowestCloseMs: closedByServer.length ? Math.max(...closedByServer.map((r) => r.closedAfterMs!)) : "n/a",
        statuses: [...new Set(results.map((r) => String(r.status)))].join(","),
        freshClientSyncMs: freshClientMs,
        crashes: crashes.length,
        pairP99Ms: report.p99,
        peakRssMB: Math.round(rss.peak / MB),
        rssGrowthMB: Math.round(rss.growth / MB),
      }),
    );
    assert.deepEqual(crashes, []);
    assert.ok(report.p99 < 100, `pair latency p99 ${report.p99.toFixed(1)} ms`);
    assert.equal(report.delivered, report.edits);
    assert.deepEqual(missing, []);
    assert.ok(rss.growth < 300 * MB);
    assert.equal(closedByServer.length, SLOWLORIS_SOCKETS, "the server closed every slowloris socket");
    const slowest = Math.max(...closedByServer.map((r) => r.closedAfterMs!));
    assert.ok(slowest <= closeLimitMs, `slowest close after ${slowest.toFixed(0)} ms (limit ${closeLimitMs} ms)`);
  });

  test("CVE-2024-37890: ws is at 8.17.1 or later", () => {
    const require = createRequire(import.meta.url);
    const version: string = JSON.parse(readFileSync(require.resolve("ws/package.json"), "utf8")).version;
    const [major, minor, patch] = version.split(".").map(Number);
    assert.ok(major > 8 || (major === 8 && (minor > 17 || (minor === 17 && patch >= 1))), `ws ${version}`);
  });

  test("CVE-2024-37890: upgrade requests with thousands of headers do not crash the process", async () => {
    const outcomes: string[] = [];
    // With a valid token, so the upgrade passes authorisation and reaches ws's own handling
    // (where the CVE was): refused by Node's header limit or accepted, never a crash.
    const target = await editableDocument();
    const collabPath = `/collab/${target.id}?token=${target.params.token}`;
    for (const [path, count] of [
      [collabPath, 2_000],
      [collabPath, 1_999],
      [collabPath, 2_600],
      ["/not-collab", 2_000],
      [collabPath, 10_000],
      [`/collab/${newDocumentId()}`, 2_000],
    ] as const) {
      const response = await rawRequest(running.port, manyHeadersUpgrade(path, count), { localAddress: attackerAddress(200) });
      outcomes.push(`${count}@${path.startsWith("/collab") ? "collab" : "other"}:${response.status ?? response.ended}`);
    }
    const health = await fetch(`http://127.0.0.1:${running.port}/healthz`).then((r) => r.status);
    const afterwards = await editableDocument();
    const client = connectClient(wsUrl(), afterwards.id, undefined, afterwards.params);
    try {
      await synced(client, 5_000);
    } finally {
      client.destroy();
    }
    console.log(formatFigures("CVE-2024-37890 many headers", { requests: outcomes.length, outcomes: outcomes.join(","), crashes: crashes.length, healthz: health }));
    assert.deepEqual(crashes, []);
    assert.equal(health, 200);
  });
});
