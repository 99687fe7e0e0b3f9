// Redis faults between instances: Redis pub/sub keeps nothing, so whatever is published while
// an instance's connection is down never reaches it. After the connection comes back, each
// instance resynchronises the documents it holds and re-checks the access of its open sockets;
// /readyz says "not ready" while Redis is away instead of hanging.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import type { RunningServer } from "../../startServer.ts";
import type { TcpProxy } from "../../testing/TcpProxy.ts";
import { startInstancePair, type InstancePair } from "../../testing/instancePair.ts";
import { closeCode, connectClient, synced, waitFor, withTimeout } from "../../testing/yClients.ts";
import { createLink, createOwnedDocument } from "../../testing/accessFixtures.ts";
import { revokeShareLink } from "../../access/shareLinks.ts";
import { CloseCode } from "../../../lib/closeCodes.ts";
import { sleep } from "../../testing/sleep.ts";

process.env.LOG_LEVEL = "silent";
const redisUrl = process.env.REDIS_URL;
/** Redis reconnects with ioredis' backoff (at most a few seconds here) before anything resyncs. */
const RECOVERY_MS = 10_000;

/** /readyz's status, or 0 when it does not answer within 3 s. */
async function readyz(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return 0;
  }
}

describe("Redis faults between two instances", { timeout: 120_000, skip: redisUrl && process.env.DATABASE_URL ? false : "needs REDIS_URL and DATABASE_URL" }, () => {
  let pair: InstancePair;
  let one: RunningServer;
  let two: RunningServer;
  let proxy: TcpProxy;

  before(async () => {
    pair = await startInstancePair(redisUrl!);
    ({ one, two, redisProxy: proxy } = pair);
  });

  after(async () => {
    await pair?.close();
  });

  async function editableDocument(): Promise<{ id: string; token: string }> {
    const id = await createOwnedDocument(one.database.prisma, null);
    return { id, token: (await createLink(one.database.prisma, id, "editor")).token };
  }

  test("edits made while an instance was cut off from Redis reach it once Redis is back", async () => {
    const document = await editableDocument();
    const onOne = connectClient(`ws://127.0.0.1:${one.port}/collab`, document.id, undefined, { token: document.token });
    const onTwo = connectClient(`ws://127.0.0.1:${two.port}/collab`, document.id, undefined, { token: document.token });
    try {
      await Promise.all([synced(onOne), synced(onTwo)]);
      onOne.doc.getText("t").insert(0, "before ");
      await waitFor(() => onTwo.doc.getText("t").toString() === "before ", "the first edit crosses instances");

      proxy.cut();
      await waitFor(async () => (await readyz(two.port)) !== 200, "instance two notices Redis is gone", 5_000);
      onOne.doc.getText("t").insert(7, "during-one ");
      onTwo.doc.getText("t").insert(0, "during-two ");
      await sleep(300);
      const whileCut = [onOne.doc.getText("t").toString(), onTwo.doc.getText("t").toString()];
      proxy.restore();

      const started = performance.now();
      await waitFor(
        () => onOne.doc.getText("t").toString() === onTwo.doc.getText("t").toString() && onTwo.doc.getText("t").toString().includes("during-one"),
        "both sides converge after Redis returns",
        RECOVERY_MS,
      );
      console.log(`[redis faults] while cut: ${JSON.stringify(whileCut)}; converged ${(performance.now() - started).toFixed(0)} ms after restore: ${JSON.stringify(onTwo.doc.getText("t").toString())}`);
      assert.ok(!whileCut[1].includes("during-one"), "the edit really was not delivered while Redis was cut");
      assert.ok(onOne.doc.getText("t").toString().includes("during-two"));
    } finally {
      proxy.restore();
      onOne.destroy();
      onTwo.destroy();
    }
  });

  test("/readyz says Redis is unreachable while it is, without hanging", async () => {
    proxy.cut();
    try {
      await sleep(500);
      const started = performance.now();
      const response = await withTimeout(fetch(`http://127.0.0.1:${two.port}/readyz`), 3_000, "readyz answers while Redis is down");
      assert.equal(response.status, 503);
      assert.match(await response.text(), /redis unreachable/);
      assert.ok(performance.now() - started < 2_000);
    } finally {
      proxy.restore();
    }
    await waitFor(async () => (await readyz(two.port)) === 200, "ready again", RECOVERY_MS);
  });

  test("a link revoked while an instance was cut off from Redis closes its sockets there once Redis is back", async () => {
    const id = await createOwnedDocument(one.database.prisma, null);
    const link = await createLink(one.database.prisma, id, "editor");
    const socket = await new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${two.port}/collab/${id}?token=${link.token}`);
      ws.once("open", () => resolve(ws));
      ws.once("error", reject);
    });
    const closed = closeCode(socket, RECOVERY_MS + 5_000);
    proxy.cut();
    try {
      await sleep(200);
      // What the links route does on instance one: revoke, then announce it.
      assert.ok(await revokeShareLink(one.database.prisma, id, link.id));
      one.access.changes.publish(id);
      await sleep(500);
      assert.equal(socket.readyState, WebSocket.OPEN, "instance two did not hear of it while cut off");
    } finally {
      proxy.restore();
    }
    assert.equal(await withTimeout(closed, RECOVERY_MS + 5_000, "closed after Redis returns"), CloseCode.FORBIDDEN);
  });
});
