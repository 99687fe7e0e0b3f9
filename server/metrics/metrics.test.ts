// /metrics on the real server: what an operator scrapes after real traffic (a y-websocket
// client editing, a refused body), and who may scrape it.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import * as Y from "yjs";
import type { RunningServer } from "../startServer.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { connectTrackedClient, synced, waitFor } from "../testing/yClients.ts";
import { createLink, createOwnedDocument } from "../testing/accessFixtures.ts";
import { postHead, rawRequest } from "../testing/rawHttp.ts";

process.env.LOG_LEVEL = "silent";

/** The value of one sample line (`name{labels} value`), or null when absent. */
function sample(text: string, name: string, labels = ""): number | null {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ""} `));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : null;
}

for (const kind of databaseKinds) {
  describe(`metrics (${kind})`, { timeout: 120_000 }, () => {
    let db: TestDatabase;
    let server: RunningServer | null = null;

    async function start(env: Record<string, string> = {}): Promise<RunningServer> {
      await server?.close();
      await closeDatabase();
      db ??= (await createTestDatabase(kind))!;
      server = await startAppTestServer(db.options, { REDIS_URL: process.env.REDIS_URL ?? "", ...env });
      return server;
    }
    const scrape = (running: RunningServer, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${running.port}/metrics`, { headers });

    after(async () => {
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    test("after an edit and a refused body: connections, documents, traffic, persist and ack latency, refusals, close codes", async () => {
      const running = await start();
      const documentId = await createOwnedDocument(running.database.prisma, null);
      const { token } = await createLink(running.database.prisma, documentId, "editor");
      const doc = new Y.Doc();
      const { provider, tracker } = connectTrackedClient(`ws://127.0.0.1:${running.port}/collab`, documentId, doc, { token });
      await synced(provider);
      doc.getText("t").insert(0, "counted");
      await waitFor(() => tracker.saved, "durable-save ack");

      const refusedBefore = sample(await (await scrape(running)).text(), "http_refusals_total", 'kind="http",status="413",reason="too_large"') ?? 0;
      const big = await rawRequest(running.port, postHead("/api/documents", { "content-type": "text/markdown", "content-length": String(2 * 1024 * 1024) }));
      assert.equal(big.status, 413);

      const live = await (await scrape(running)).text();
      assert.equal(sample(live, "collab_open_connections"), 1);
      assert.equal(sample(live, "collab_loaded_documents"), 1);
      assert.ok(sample(live, "collab_messages_received_total")! >= 2, "sync step and update received");
      assert.ok(sample(live, "collab_bytes_sent_total")! > 0);
      assert.ok(sample(live, "collab_persist_duration_seconds_count")! >= 1, "the update was persisted");
      assert.ok(sample(live, "collab_ack_latency_seconds_count")! >= 1, "and acknowledged");
      assert.equal(sample(live, "http_refusals_total", 'kind="http",status="413",reason="too_large"'), refusedBefore + 1, "the 413 counted");
      assert.notEqual(sample(live, "nodejs_eventloop_lag_p99_seconds"), null, "event-loop lag");
      if (kind === "postgres") assert.ok(sample(live, "db_pool_connections")! >= 1, "pool state on PostgreSQL");
      if (process.env.REDIS_URL) assert.equal(sample(live, "redis_connected"), 1);

      provider.destroy();
      await waitFor(async () => sample(await (await scrape(running)).text(), "collab_open_connections") === 0, "connection gone");
      const closed = await (await scrape(running)).text();
      assert.ok(/^collab_connections_closed_total\{code="\d+"\} [1-9]/m.test(closed), "close code counted");
    });

    test("without METRICS_TOKEN only this machine, not through a proxy; with it, only the bearer", async () => {
      const open = await start();
      assert.equal((await scrape(open)).status, 200);
      assert.equal((await scrape(open, { "x-forwarded-for": "203.0.113.9" })).status, 404, "through a proxy on this host");
      const token = "m".repeat(40);
      const guarded = await start({ METRICS_TOKEN: token });
      assert.equal((await scrape(guarded)).status, 404);
      assert.equal((await scrape(guarded, { authorization: "Bearer wrong" })).status, 404);
      assert.equal((await scrape(guarded, { authorization: `Bearer ${token}` })).status, 200);
    });
  });
}
