// SIGTERM: the server stops accepting, writes everything pending, and closes every socket
// with 1012 (so clients reconnect, possibly elsewhere), then exits 0. On PGlite and, when
// DATABASE_URL is set, on PostgreSQL.
//
// During a database outage the pending writes cannot be made: the server waits a bounded time
// (SHUTDOWN_FLUSH_TIMEOUT_MS), closes its sockets with 1012 and exits anyway. What it could not
// write is still in the clients' copies, and they send it again when they reconnect (the
// server's sync step 1 asks them for whatever it lacks). Needs PostgreSQL (a TCP connection to
// cut); skipped without DATABASE_URL, a failure under CI=true.

import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { CloseCode } from "../../../lib/closeCodes.ts";
import { newDocumentId } from "../../../lib/documentId.ts";
import { openDatabase } from "../../db/openDatabase.ts";
import { SqlDocumentStorage } from "../storage/SqlDocumentStorage.ts";
import { SHUTDOWN_CLOSE_WAIT_MS } from "../createCollabServer.ts";
import { SHUTDOWN_FLUSH_TIMEOUT_MS } from "../Rooms.ts";
import { freePort, startCollabChild, type CollabChild } from "../../testing/collabChildProcess.ts";
import { seedEditableDocuments } from "../../testing/accessFixtures.ts";
import { createTestDatabase, databaseKinds } from "../../testing/testDatabase.ts";
import { TcpProxy } from "../../testing/TcpProxy.ts";
import { docFrom, TaggedEditor, tokensIn } from "../../testing/TaggedEditor.ts";
import { closeCode, connectClient, openRawSocket, synced, waitFor } from "../../testing/yClients.ts";
import { sleep } from "../../testing/sleep.ts";

for (const kind of databaseKinds) {
  test(`SIGTERM flushes pending writes and closes sockets with 1012 (${kind})`, { timeout: 120_000 }, async () => {
    const testDb = (await createTestDatabase(kind))!;
    const port = await freePort();
    const id = newDocumentId();
    // The child runs the real access policy: clients come in through an edit link.
    const token = (await seedEditableDocuments(testDb.options, [id])).get(id)!;
    const child = await startCollabChild(port, testDb.options);
    const provider = connectClient(child.wsUrl, id, undefined, { token });
    try {
      await synced(provider);
      const observer = await openRawSocket(`${child.wsUrl}/${id}?token=${token}`);
      const observerClosed = closeCode(observer, 30_000);
      // Stop the provider from reconnecting to the dying server, then edit and stop at once:
      // the last edits are still in the group-commit window when SIGTERM arrives.
      const text = provider.doc.getText("t");
      for (let i = 0; i < 50; i++) text.insert(text.length, `edit ${i};`);
      const expected = text.toString();
      // No wait: the edits are on the wire, or in the server's group-commit window, when the
      // signal arrives. Frames sent before the server's close frame must still be stored.
      const exit = await child.stop("SIGTERM", 30_000);
      assert.equal(exit.code, 0, `graceful exit (stderr: ${child.stderr.slice(-500)})`);
      assert.equal(await observerClosed, CloseCode.SERVER_RESTARTING);
      provider.shouldConnect = false;

      const db = await openDatabase(testDb.options);
      try {
        const stored = await new SqlDocumentStorage(db.sql).load(id);
        assert.ok(stored, "document stored");
        const doc = new Y.Doc();
        Y.applyUpdate(doc, stored);
        assert.equal(doc.getText("t").toString(), expected, "every edit the server received is stored");
      } finally {
        await db.close();
      }
    } finally {
      provider.destroy();
      if (!child.exited) await child.stop("SIGKILL");
      await testDb.drop();
    }
  });
}

const noPostgres = !process.env.DATABASE_URL && process.env.CI !== "true";

/** SIGTERM to exit when nothing can be written: the clients' close wait, the bounded flush, and
 *  some slack for closing Redis, the pool and the process. */
const OUTAGE_EXIT_BOUND_MS = SHUTDOWN_CLOSE_WAIT_MS + SHUTDOWN_FLUSH_TIMEOUT_MS + 3_000;

test(
  "SIGTERM during a database outage exits within its bound with sockets closed 1012; clients resend what was not written",
  { skip: noPostgres ? "DATABASE_URL is not set (PostgreSQL needed)" : false, timeout: 120_000 },
  async () => {
    assert.ok(process.env.DATABASE_URL, "DATABASE_URL must be set under CI=true");
    const testDb = (await createTestDatabase("postgres"))!;
    const direct = new URL(testDb.options.databaseUrl!);
    const proxy = await TcpProxy.start(direct.hostname === "localhost" ? "127.0.0.1" : direct.hostname, Number(direct.port || 5432));
    const proxied = new URL(direct);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    const serverDb = { databaseUrl: proxied.toString(), dataDir: testDb.options.dataDir };
    const port = await freePort();
    const id = newDocumentId();
    const token = (await seedEditableDocuments(testDb.options, [id])).get(id)!;
    let child: CollabChild | null = await startCollabChild(port, serverDb);
    const editor = new TaggedEditor(child.wsUrl, id, 0, Math.random, { token });
    const closeCodes: number[] = [];
    editor.provider.on("connection-close", (event) => {
      if (event) closeCodes.push(event.code);
    });
    try {
      await synced(editor.provider);
      const observer = await openRawSocket(`${child.wsUrl}/${id}?token=${token}`);
      const observerClosed = closeCode(observer, OUTAGE_EXIT_BOUND_MS + 10_000);
      for (let i = 0; i < 20; i++) editor.edit();
      await waitFor(() => editor.allPersisted, "edits before the outage acknowledged durable");
      const beforeOutage = editor.edits.length;

      // The database goes away; the client keeps typing, the server cannot write it.
      proxy.cut();
      for (let i = 0; i < 30; i++) {
        editor.edit();
        await sleep(5);
      }
      await waitFor(() => child!.stderr.includes("document write failed"), "the server's writes failing", 15_000);
      assert.ok(!editor.allPersisted, "edits typed during the outage are not acknowledged");

      const signalledAt = Date.now();
      const exit = await child.stop("SIGTERM", OUTAGE_EXIT_BOUND_MS + 30_000).catch((error: Error) => ({ error }));
      const exitMs = Date.now() - signalledAt;
      console.log(`[shutdown] SIGTERM during a database outage: exited after ${exitMs} ms (bound ${OUTAGE_EXIT_BOUND_MS} ms), ${JSON.stringify(exit)}`);
      assert.ok(!("error" in exit), `the server did not exit: ${"error" in exit ? exit.error.message.slice(0, 300) : ""}`);
      assert.ok(exitMs <= OUTAGE_EXIT_BOUND_MS, `exited ${exitMs} ms after SIGTERM, bound ${OUTAGE_EXIT_BOUND_MS} ms`);
      assert.equal(exit.signal, null, "exited on its own, not killed");
      assert.equal(await observerClosed, CloseCode.SERVER_RESTARTING, "an open socket is told 1012");
      assert.equal(closeCodes[0], CloseCode.SERVER_RESTARTING, `the editor is told 1012 (close codes ${closeCodes})`);
      assert.match(child.stderr, /not written/, "the shutdown says what it could not write");

      // Typing goes on while no server runs; then the database and the server come back.
      for (let i = 0; i < 10; i++) editor.edit();
      proxy.restore();
      child = await startCollabChild(port, serverDb);
      await waitFor(() => editor.provider.wsconnected && editor.provider.synced && editor.allPersisted, "the editor reconnected and everything acknowledged", 30_000);
      const db = await openDatabase(testDb.options);
      let stored: Set<string>;
      try {
        stored = tokensIn(docFrom(await new SqlDocumentStorage(db.sql).load(id)));
      } finally {
        await db.close();
      }
      const missing = editor.edits.filter((edit) => !stored.has(edit.token));
      console.log(
        `[shutdown] edits: ${beforeOutage} before the outage, ${editor.edits.length - beforeOutage - 10} during it, 10 while down; ` +
          `${editor.edits.length - missing.length}/${editor.edits.length} stored after the restart`,
      );
      assert.deepEqual(missing.map((edit) => edit.token), [], "nothing typed is lost");
      const stop = await child.stop("SIGTERM");
      assert.equal(stop.code, 0, `graceful stop once the database is back (stderr: ${child.stderr.slice(-500)})`);
    } finally {
      editor.destroy();
      if (child && !child.exited) await child.stop("SIGKILL").catch(() => {});
      await proxy.close();
      await testDb.drop();
    }
  },
);
