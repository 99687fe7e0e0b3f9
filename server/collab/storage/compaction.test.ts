// Compaction under concurrent appends: rows appended while a compaction runs are never lost,
// and a document whose load fails is never written.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import { CloseCode } from "../../../lib/closeCodes.ts";
import { newDocumentId } from "../../../lib/documentId.ts";
import { openDatabase } from "../../db/openDatabase.ts";
import type { Database } from "../../db/Database.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../../testing/testDatabase.ts";
import { startCollabTestServer } from "../../testing/startCollabTestServer.ts";
import { closeCode, connectClient, openRawSocket, synced, waitFor } from "../../testing/yClients.ts";
import { SqlDocumentStorage } from "./SqlDocumentStorage.ts";
import type { DocumentStorage } from "./DocumentStorage.ts";

function textUpdate(doc: Y.Doc, insert: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getText("t").insert(doc.getText("t").length, insert);
  return Y.encodeStateAsUpdate(doc, before);
}

for (const kind of databaseKinds) {
  describe(`storage on ${kind}`, () => {
    let testDb: TestDatabase;
    let db: Database;

    before(async () => {
      testDb = (await createTestDatabase(kind))!;
      db = await openDatabase(testDb.options);
    });
    after(async () => {
      await db.close();
      await testDb.drop();
    });

    test("appends racing repeated compactions are all kept", async () => {
      // Two storages on one database: appends from one, compactions from the other, as two
      // instances would.
      const writer = new SqlDocumentStorage(db.sql);
      const compactor = new SqlDocumentStorage(db.sql);
      const id = newDocumentId();
      const source = new Y.Doc();
      const appends: Promise<void>[] = [];
      const compactions: Promise<void>[] = [];
      for (let i = 0; i < 300; i++) {
        // 64-byte chunks: the log passes the compaction threshold many times over.
        appends.push(writer.append(id, textUpdate(source, `${String(i).padStart(4, "0")}${"-".repeat(60)}`)));
        if (i % 15 === 0) compactions.push(compactor.compact(id));
        if (i % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all([...appends, ...compactions]);
      await compactor.compact(id);
      const stored = await writer.load(id);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored!);
      assert.equal(doc.getText("t").toString(), source.getText("t").toString());
      assert.ok(await db.prisma.documentSnapshot.findUnique({ where: { documentId: id } }), "compactions ran");
    });

    test("compaction merges the log in sequence order across a change in digit count", async () => {
      // Rows 971…1030: compared as text, "1030" sorts before "971". Merged in that order,
      // Yjs would hold most rows as pending (re-merging them on every row) and the snapshot
      // would claim to cover up to 999.
      const [{ seq: last }] = await db.sql.query<{ seq: string }>("SELECT coalesce(max(seq), 0)::text AS seq FROM document_updates");
      const boundary = 10 ** Math.max(3, String(Number(last) + 31).length);
      await db.sql.query("SELECT setval(pg_get_serial_sequence('document_updates', 'seq'), $1::bigint) AS seq", [boundary - 30]);
      const storage = new SqlDocumentStorage(db.sql);
      const id = newDocumentId();
      const source = new Y.Doc();
      for (let i = 0; i < 60; i++) await storage.append(id, textUpdate(source, `${String(i).padStart(4, "0")}${"-".repeat(100)}`));
      const [{ max }] = await db.sql.query<{ max: string }>("SELECT max(seq)::text AS max FROM document_updates WHERE document_id = $1", [id]);
      assert.equal(Number(max), boundary + 30);

      await storage.compact(id);
      const snapshot = await db.prisma.documentSnapshot.findUnique({ where: { documentId: id } });
      assert.ok(snapshot, "compaction ran");
      assert.equal(snapshot.upToSeq, BigInt(boundary + 30), "the snapshot covers the highest merged row");
      const compacted = new Y.Doc();
      Y.applyUpdate(compacted, snapshot.state);
      assert.equal(compacted.store.pendingStructs, null, "nothing left pending");
      assert.equal(compacted.getText("t").toString(), source.getText("t").toString());
    });

    test("a document whose load fails is never served nor written; clients get 4503 and retry", async () => {
      let failLoads = true;
      const appended: string[] = [];
      const server = await startCollabTestServer(testDb.options, {
        wrapStorage: (storage): DocumentStorage => ({
          load: async (id) => {
            if (failLoads) throw new Error("database unavailable");
            return storage.load(id);
          },
          append: (id, update) => {
            appended.push(id);
            return storage.append(id, update);
          },
          compact: (id) => storage.compact(id),
          ping: () => storage.ping(),
        }),
      });
      try {
        const id = newDocumentId();
        // Something is stored already; a failed load must not let an empty room overwrite it.
        const seed = new Y.Doc();
        await server.storage.append(id, textUpdate(seed, "stored before"));
        appended.length = 0;

        const raw = await openRawSocket(`${server.wsUrl}/${id}`);
        assert.equal(await closeCode(raw), CloseCode.LOAD_FAILED);
        assert.equal(server.collab.rooms.peek(id), undefined, "no room for a failed load");

        const client = connectClient(server.wsUrl, id);
        try {
          await new Promise((resolve) => setTimeout(resolve, 300));
          assert.equal(client.synced, false, "never synced while loads fail");
          failLoads = false;
          await synced(client);
          await waitFor(() => client.doc.getText("t").toString() === "stored before", "stored content after recovery");
          assert.deepEqual(appended, [], "nothing written for the document while its load failed");
        } finally {
          client.destroy();
        }
      } finally {
        await server.close();
      }
    });
  });
}
