// The heartbeat drops a dead peer: a client that stops answering pings (its socket paused, so
// it never reads them) is terminated within two ping intervals, while a live client on the
// same document stays connected however long it is idle.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { newDocumentId } from "../../lib/documentId.ts";
import { encodeSyncStep1 } from "./protocol.ts";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../testing/startCollabTestServer.ts";
import { closeCode, openRawSocket, waitFor } from "../testing/yClients.ts";
import { sleep } from "../testing/sleep.ts";

/** Short, so the test takes seconds; the server's default is 30 s. */
const PING_INTERVAL_MS = 500;
/** Timer and scheduling slack on top of the two intervals; less than one interval, so a peer
 *  dropped only at the third missed ping fails the test. */
const SLACK_MS = 250;

const kind: DatabaseKind = process.env.DATABASE_URL ? "postgres" : "pglite";

describe(`heartbeat (${kind})`, () => {
  let db: TestDatabase;
  let server: CollabTestServer;
  before(async () => {
    db = (await createTestDatabase(kind))!;
    server = await startCollabTestServer(db.options, { pingIntervalMs: PING_INTERVAL_MS });
  });
  after(async () => {
    await server?.close();
    await db?.drop();
  });

  test("a peer that stops answering pings is terminated within two ping intervals; a live one stays", async () => {
    const id = newDocumentId();
    const url = `${server.wsUrl}/${id}`;
    const live = await openRawSocket(url);
    const dead = await openRawSocket(url);
    let liveClosed = false;
    live.on("close", () => (liveClosed = true));
    // A y-websocket client's first frame (sync step 1, empty state vector); silence would be
    // closed for another reason (the first-message timeout).
    for (const socket of [live, dead]) socket.send(encodeSyncStep1(new Uint8Array([0])));
    await waitFor(() => server.collab.connectionCount === 2, "both connected");
    // Both answer pings for a while.
    await sleep(3 * PING_INTERVAL_MS);
    assert.equal(server.collab.connectionCount, 2, "answering peers are kept");

    // The dead peer stops reading: pings reach its kernel buffer and are never answered.
    dead.pause();
    const pausedAt = performance.now();
    await waitFor(() => server.collab.connectionCount === 1, "the silent peer dropped", 10 * PING_INTERVAL_MS);
    const droppedAfterMs = performance.now() - pausedAt;
    console.log(`[heartbeat] silent peer dropped ${droppedAfterMs.toFixed(0)} ms after it stopped answering (ping interval ${PING_INTERVAL_MS} ms)`);
    assert.ok(droppedAfterMs <= 2 * PING_INTERVAL_MS + SLACK_MS, `dropped after ${droppedAfterMs.toFixed(0)} ms, more than two intervals`);
    // Terminated, not closed politely: the peer is not asked for a close handshake it cannot answer.
    const deadCode = closeCode(dead, 2_000);
    dead.resume();
    assert.equal(await deadCode, 1006, "the connection was cut without a close frame");

    // The live peer is kept through many more intervals.
    await sleep(4 * PING_INTERVAL_MS);
    assert.equal(liveClosed, false, "the live peer is still connected");
    assert.equal(server.collab.connectionCount, 1);
    live.close();
  });
});
