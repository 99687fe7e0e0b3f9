// SIGTERM: the server stops accepting, writes everything pending, and closes every socket
// with 1012 (so clients reconnect, possibly elsewhere), then exits 0.

import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { CloseCode } from "../../../lib/closeCodes.ts";
import { newDocumentId } from "../../../lib/documentId.ts";
import { openDatabase } from "../../db/openDatabase.ts";
import { SqlDocumentStorage } from "../storage/SqlDocumentStorage.ts";
import { freePort, startCollabChild } from "../../testing/collabChildProcess.ts";
import { seedEditableDocuments } from "../../testing/accessFixtures.ts";
import { createTestDatabase } from "../../testing/testDatabase.ts";
import { closeCode, connectClient, openRawSocket, synced } from "../../testing/yClients.ts";

test("SIGTERM flushes pending writes and closes sockets with 1012", { timeout: 120_000 }, async () => {
  const testDb = (await createTestDatabase(process.env.DATABASE_URL ? "postgres" : "pglite"))!;
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
