// A Yjs transaction whose cleanup throws leaves the Y.Doc wedged: the failed transaction stays
// queued, every later transaction counts as nested in it, and "update" never fires again. The
// fuzz found a crafted update that does this to a document holding pending structs; from then on
// the server applied everyone's updates without relaying or storing any of them. Here the
// failure is forced (a listener that throws once during cleanup) so the test does not depend on
// Yjs internals staying exploitable: the sender is closed 4400, and the document keeps relaying
// and storing the others' edits.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as Y from "yjs";
import { newDocumentId } from "../../lib/documentId.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../testing/startCollabTestServer.ts";
import { closeCode, connectClient, openRawSocket, synced, waitFor } from "../testing/yClients.ts";
import { encodeSyncUpdate } from "./protocol.ts";

let db: TestDatabase;
let server: CollabTestServer;

before(async () => {
  db = (await createTestDatabase("pglite"))!;
  server = await startCollabTestServer(db.options);
});

after(async () => {
  await server?.close();
  await db?.drop();
});

test("a Yjs cleanup that throws does not stop the document relaying and storing edits", async () => {
  const id = newDocumentId();
  const a = connectClient(server.wsUrl, id);
  const b = connectClient(server.wsUrl, id);
  try {
    await Promise.all([synced(a), synced(b)]);
    a.doc.getText("t").insert(0, "before. ");
    await waitFor(() => b.doc.getText("t").toString() === "before. ", "first edit relayed");

    // The next transaction's cleanup throws, as the crafted update's did.
    const doc = server.collab.rooms.peek(id)!.doc;
    let armed = true;
    doc.on("afterTransactionCleanup", () => {
      if (!armed) return;
      armed = false;
      throw new Error("cleanup failed");
    });
    const attacker = await openRawSocket(`${server.wsUrl}/${id}`);
    const closed = closeCode(attacker);
    const forged = new Y.Doc();
    forged.getText("t").insert(0, "forged ");
    attacker.send(encodeSyncUpdate(Y.encodeStateAsUpdate(forged)));
    assert.equal(await closed, CloseCode.BAD_MESSAGE, "the sender of the failing update is closed 4400");

    // Everyone stays in step with the server (what it integrated is relayed), and later edits
    // still flow and are stored.
    a.doc.getText("t").insert(a.doc.getText("t").length, "after.");
    await waitFor(() => b.doc.getText("t").toString().endsWith("after."), "edits after the failure are relayed");
    await waitFor(() => a.doc.getText("t").toString() === b.doc.getText("t").toString(), "replicas agree");
    assert.equal(b.doc.getText("t").toString(), doc.getText("t").toString(), "and agree with the server");
    await server.collab.rooms.peek(id)!.writer.flush();
    const stored = await server.storage.load(id);
    const fromStore = new Y.Doc();
    if (stored) Y.applyUpdate(fromStore, stored);
    assert.equal(fromStore.getText("t").toString(), doc.getText("t").toString(), "and the store has it all");
  } finally {
    a.destroy();
    b.destroy();
  }
});
