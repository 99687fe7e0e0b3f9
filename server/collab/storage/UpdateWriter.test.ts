// Group commit of a large batch: hundreds of updates that queued behind one write are merged
// (as a tree of Y.mergeUpdates calls, see MERGE_FAN_IN) into one row that holds all of them.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as Y from "yjs";
import { newDocumentId } from "../../../lib/documentId.ts";
import { openDatabase } from "../../db/openDatabase.ts";
import type { Database } from "../../db/Database.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/testDatabase.ts";
import { SqlDocumentStorage } from "./SqlDocumentStorage.ts";
import { MERGE_FAN_IN, UpdateWriter } from "./UpdateWriter.ts";

let testDb: TestDatabase;
let db: Database;
before(async () => {
  testDb = (await createTestDatabase(process.env.DATABASE_URL ? "postgres" : "pglite"))!;
  db = await openDatabase(testDb.options);
});
after(async () => {
  await db.close();
  await testDb.drop();
});

test("a batch far larger than the merge fan-in is written as one row with every update in it", async () => {
  const storage = new SqlDocumentStorage(db.sql);
  const id = newDocumentId();
  // Hold the first write so that everything after it queues into one batch.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const rows: Uint8Array[] = [];
  const writer = new UpdateWriter(
    {
      load: (docId) => storage.load(docId),
      compact: (docId) => storage.compact(docId),
      ping: () => storage.ping(),
      append: async (docId, update) => {
        if (rows.length === 0) await held;
        rows.push(update);
        await storage.append(docId, update);
      },
    },
    id,
  );
  // Two writers typing in turn, so the batch interleaves clients as a real document does.
  const alice = new Y.Doc();
  const bob = new Y.Doc();
  for (const [from, to] of [[alice, bob], [bob, alice]] as const) {
    from.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "relay") return;
      Y.applyUpdate(to, update, "relay");
      writer.enqueue(update);
    });
  }
  const updates = MERGE_FAN_IN * MERGE_FAN_IN + 7;
  alice.getText("t").insert(0, "first");
  await new Promise((resolve) => setTimeout(resolve, 50)); // the first write is taken and held
  for (let i = 0; i < updates; i++) {
    const doc = i % 2 === 0 ? alice : bob;
    doc.getText("t").insert(doc.getText("t").length, `<${i}>`);
  }
  release();
  await writer.flush();

  assert.equal(rows.length, 2, "the held write, then one row for the batch");
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await storage.load(id))!);
  assert.equal(stored.getText("t").toString(), alice.getText("t").toString());
  assert.equal(alice.getText("t").toString(), bob.getText("t").toString());
  assert.ok(alice.getText("t").toString().endsWith(`<${updates - 1}>`));
});
