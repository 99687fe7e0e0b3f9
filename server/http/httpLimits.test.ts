// What an unauthenticated client can do to the process over plain HTTP, tried against the
// real server in a child process (a crash, a heap blow-up or descriptor exhaustion is the
// symptom): upgrades we do not serve, oversized and endless bodies, floods of sign-in
// requests whose bodies never come, and request heads that never end.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { newDocumentId } from "../../lib/documentId.ts";
import { loadConfig } from "../config.ts";
import { startServer } from "../startServer.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { freePort, startCollabChild, type CollabChild } from "../testing/collabChildProcess.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { formatFigures, MB } from "../testing/abuseClients.ts";
import { exchange, postHead, slowUpgrade } from "../testing/rawHttp.ts";
import { MAX_REQUEST_BODY_BYTES } from "./limitRequestBody.ts";

const kind = databaseKinds[databaseKinds.length - 1];

/** Resident set size of a process, from /proc (Linux). */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Open socket descriptors of a process. Only sockets: the server also opens files for a
 *  while after start (its conversion workers load their modules), which is not what a leak of
 *  refused upgrades would be. */
function openDescriptors(pid: number): number {
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) sockets++;
    } catch {
      // closed while we looked
    }
  }
  return sockets;
}

function upgradeHead(path: string): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
  );
}

async function healthzMs(child: CollabChild): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${child.httpUrl}/healthz`);
  assert.equal(response.status, 200);
  return performance.now() - started;
}

describe(`HTTP abuse against the server in a child process (${kind})`, () => {
  let db: TestDatabase;
  let child: CollabChild;

  before(async () => {
    db = (await createTestDatabase(kind))!;
    assert.ok(db, `${kind} database`);
    child = await startCollabChild(await freePort(), { databaseUrl: db.options.databaseUrl, dataDir: db.options.dataDir });
  });

  after(async () => {
    await child?.stop("SIGTERM");
    await db?.drop();
  });

  test("every upgrade we do not serve is answered and closed at once; 2,000 of them leave no descriptor behind", async () => {
    const pid = child.pid!;
    const paths = ["/x", "/sign-in", "/healthz", "/collab", `/COLLAB/${newDocumentId()}`, "/_next/hmr", "/api/auth/session"];
    const first = await Promise.all(paths.map((path) => exchange(child.port, upgradeHead(path), { timeoutMs: 3_000 })));
    for (const [i, result] of first.entries()) {
      assert.equal(result.status, 404, `${paths[i]}: answered 404 (got ${result.status})`);
      assert.ok(result.closedByServer, `${paths[i]}: closed by the server`);
    }
    // Counted once the server is warm: it opens database connections and conversion workers
    // lazily after start (the projection's start-up pass, the first pooled queries), which
    // are descriptors too but not the sockets this test is about.
    await healthzMs(child);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const descriptorsBefore = openDescriptors(pid);
    let slowest = 0;
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => exchange(child.port, upgradeHead(paths[i % paths.length]), { timeoutMs: 5_000 })));
      assert.ok(results.every((r) => r.status === 404 && r.closedByServer), `batch ${batch}: every socket answered and closed`);
      slowest = Math.max(slowest, ...results.map((r) => r.ms));
    }
    const health = await healthzMs(child);
    const descriptorsAfter = openDescriptors(pid);
    console.log(formatFigures("upgrades outside /collab/", { sockets: 2_000 + paths.length, slowestAnswerMs: slowest, descriptorsBefore, descriptorsAfter, healthzMs: health }));
    assert.ok(descriptorsAfter <= descriptorsBefore + 10, `descriptors ${descriptorsBefore} → ${descriptorsAfter}`);
  });

  test("a body declared past the limit is refused 413 before it is read; four 400 MB bodies cost no memory", async () => {
    const pid = child.pid!;
    const rssBefore = rssOf(pid);
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    try {
      const declared = await exchange(child.port, postHead("/api/auth/sign-in/email", { "content-length": String(150 * MB) }), {
        body: { chunk, total: 150 * MB },
      });
      assert.equal(declared.status, 413);
      const flood = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          exchange(child.port, postHead(i % 2 ? "/api/documents" : "/api/auth/sign-up/email", { "content-length": String(400 * MB) }), { body: { chunk, total: 400 * MB } }),
        ),
      );
      assert.deepEqual(flood.map((r) => r.status), [413, 413, 413, 413]);
      const health = await healthzMs(child);
      console.log(
        formatFigures("declared oversized bodies", {
          limitBytes: MAX_REQUEST_BODY_BYTES,
          answeredMs: Math.max(declared.ms, ...flood.map((r) => r.ms)).toFixed(0),
          bodyBytesSentBeforeAnswerMB: (Math.max(declared.bodySent, ...flood.map((r) => r.bodySent)) / MB).toFixed(1),
          rssGrowthMB: ((peak - rssBefore) / MB).toFixed(1),
          healthzMs: health.toFixed(1),
        }),
      );
      assert.ok(flood.every((r) => r.bodySent < 50 * MB), "the server answered long before the body was sent");
      assert.ok(peak - rssBefore < 64 * MB, `RSS grew ${((peak - rssBefore) / MB).toFixed(1)} MB`);
    } finally {
      clearInterval(sampler);
    }
    assert.equal(child.exited, false, "the process is alive");
  });

  test("a chunked body is refused 413 as soon as it passes the limit", async () => {
    const pid = child.pid!;
    const rssBefore = rssOf(pid);
    const result = await exchange(child.port, postHead("/api/auth/sign-in/email", { "transfer-encoding": "chunked" }), {
      body: { chunk: Buffer.alloc(64 * 1024, 0x61), total: 64 * MB, chunked: true },
    });
    assert.equal(result.status, 413);
    assert.ok(result.bodySent < 32 * MB, `answered after ${(result.bodySent / MB).toFixed(1)} MB`);
    assert.ok(rssOf(pid) - rssBefore < 64 * MB);
    console.log(formatFigures("chunked oversized body", { answeredAfterMB: (result.bodySent / MB).toFixed(1), ms: result.ms.toFixed(0) }));
  });

  test("a body within the limit reaches the handler whole (sign-in answers on its content)", async () => {
    const body = JSON.stringify({ email: "nobody@example.test", password: "wrong password", padding: "x".repeat(MAX_REQUEST_BODY_BYTES - 200) });
    const response = await fetch(`${child.httpUrl}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: child.httpUrl }, body });
    // Better Auth parsed the whole JSON: it refuses the credentials, not the request.
    assert.notEqual(response.status, 413);
    assert.notEqual(response.status, 400);
    assert.ok([401, 403].includes(response.status), `status ${response.status}`);
  });

  test("the per-address sign-in limit decides before any body is read", async () => {
    // Requests that declare a body and never send it: admitted ones wait for their body,
    // the first over the limit is refused at once.
    const head = postHead("/api/auth/sign-in/email", { "content-length": "1000" });
    const waiting = await Promise.all(Array.from({ length: 25 }, () => exchange(child.port, head, { timeoutMs: 1_500 })));
    const refused = waiting.filter((r) => r.status === 429);
    const pending = waiting.filter((r) => r.status === null);
    console.log(formatFigures("sign-in flood without bodies", { requests: waiting.length, refused429: refused.length, waitingForBody: pending.length, slowest429Ms: Math.max(0, ...refused.map((r) => r.ms)).toFixed(0) }));
    assert.ok(refused.length >= 4, `${refused.length} refused before their body`);
    assert.ok(refused.every((r) => r.ms < 1_000), "refused without waiting for the body");
  });
});

describe("request heads that never end", () => {
  test("upgrades dribbling their headers are dropped after headersTimeout, on /collab/ and elsewhere", async () => {
    const db = (await createTestDatabase("pglite"))!;
    const headersTimeoutMs = 1_500;
    const config = { ...loadConfig({}), port: 0, host: "127.0.0.1", databaseUrl: undefined, dataDir: db.options.dataDir };
    const running = await startServer(config, { withNext: false, headersTimeoutMs });
    try {
      const slow = [`/collab/${newDocumentId()}`, "/x", "/collab/"].map((path) => slowUpgrade(running.port, path, { intervalMs: 200, maxMs: 10_000 }));
      const results = await Promise.all(slow.map((s) => s.closed));
      console.log(formatFigures("slow request heads", { headersTimeoutMs, closedAfterMs: results.map((r) => r.closedAfterMs?.toFixed(0)).join(","), statuses: results.map((r) => r.status).join(",") }));
      for (const result of results) {
        assert.notEqual(result.closedAfterMs, null, "closed by the server");
        // Node checks the timeout every CONNECTIONS_CHECK_INTERVAL_MS (1 s).
        assert.ok(result.closedAfterMs! >= headersTimeoutMs - 100 && result.closedAfterMs! < headersTimeoutMs + 2_500, `closed after ${result.closedAfterMs} ms`);
      }
    } finally {
      await running.close();
      await closeDatabase();
      await db.drop();
    }
  });
});
