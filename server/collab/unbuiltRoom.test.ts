// A loaded document is served from its stored bytes and built into a Y.Doc only when something
// must be applied to it: readers of a large document never make the server build it, and what
// they get is the same as from a built one.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import { newDocumentId } from "../../lib/documentId.ts";
import { createTestDatabase, databaseKinds } from "../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../testing/startCollabTestServer.ts";
import { connectClient, synced, waitFor } from "../testing/yClients.ts";

/** A document with some history (typing, deletions, a second author), and an early state of it. */
function storedDocument(): { doc: Y.Doc; early: Uint8Array } {
  const doc = new Y.Doc();
  const text = doc.getText("t");
  for (let i = 0; i < 100; i++) text.insert(text.length, `word${i} `);
  const early = Y.encodeStateAsUpdate(doc);
  for (let i = 100; i < 200; i++) text.insert(text.length, `word${i} `);
  text.delete(10, 50);
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  other.getText("t").insert(0, "Title\n");
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
  return { doc, early };
}

for (const kind of databaseKinds) {
  describe(`unbuilt rooms on ${kind}`, () => {
    let server: CollabTestServer;
    let drop: () => Promise<void>;

    before(async () => {
      const testDb = await createTestDatabase(kind);
      assert.ok(testDb);
      drop = testDb.drop;
      server = await startCollabTestServer(testDb.options);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    test("readers sync from the stored bytes without the server building the document; the first edit builds it", async () => {
      const id = newDocumentId();
      const { doc: source, early } = storedDocument();
      await server.storage.append(id, Y.encodeStateAsUpdate(source));
      const expected = source.getText("t").toString();

      // A new reader, and a returning one that has an early state of the document (its state
      // vector is not empty, so it gets a diff computed from the encoded state).
      const fresh = connectClient(server.wsUrl, id);
      const partial = new Y.Doc();
      Y.applyUpdate(partial, early);
      const returning = connectClient(server.wsUrl, id, partial);
      try {
        await Promise.all([synced(fresh), synced(returning)]);
        await waitFor(() => fresh.doc.getText("t").toString() === expected, "the fresh reader has the document");
        assert.equal(returning.doc.getText("t").toString(), expected);
        // Let the clients' answers to the server's step 1 (empty updates) arrive.
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(server.collab.rooms.peek(id)?.isBuilt, false, "reading did not build the document");

        fresh.doc.getText("t").insert(0, "Edited. ");
        await waitFor(() => returning.doc.getText("t").toString() === `Edited. ${expected}`, "the edit reaches the other client");
        assert.equal(server.collab.rooms.peek(id)?.isBuilt, true, "the edit built the document");
      } finally {
        fresh.destroy();
        returning.destroy();
      }
      await waitFor(() => !server.collab.rooms.peek(id), "room unloaded");
      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, (await server.storage.load(id))!);
      assert.equal(reloaded.getText("t").toString(), `Edited. ${expected}`);
    });
  });
}
