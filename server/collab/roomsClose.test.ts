// Shutdown leaves no room behind: every room is flushed and destroyed by Rooms.close(), even
// one still held by a socket whose close came late, and nothing is loaded or unloaded after.
// (A room left behind keeps its writer retrying against the closed database and its
// Awareness timer running, so the process never exits: a CI run once hung on exactly that.)

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import { newDocumentId } from "../../lib/documentId.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { openDatabase } from "../db/openDatabase.ts";
import type { Database } from "../db/Database.ts";
import { log } from "../log.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { Rooms, RoomsClosedError } from "./Rooms.ts";
import { SqlDocumentStorage } from "./storage/SqlDocumentStorage.ts";

function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

async function storedText(storage: SqlDocumentStorage, documentId: string): Promise<string> {
  const doc = new Y.Doc();
  const state = await storage.load(documentId);
  if (state) Y.applyUpdate(doc, state);
  return doc.getText("t").toString();
}

for (const kind of databaseKinds) {
  describe(`Rooms.close on ${kind}`, () => {
    let testDb: TestDatabase;
    let database: Database;
    let storage: SqlDocumentStorage;

    before(async () => {
      const created = await createTestDatabase(kind);
      assert.ok(created);
      testDb = created;
      database = await openDatabase(testDb.options);
      storage = new SqlDocumentStorage(database.sql);
    });
    after(async () => {
      await database.close();
      await testDb.drop();
    });

    const newRooms = () => new Rooms({ storage, log, limits: DEFAULT_LIMITS });

    test("a room still held is written and destroyed; releasing it afterwards unloads nothing", async () => {
      const rooms = newRooms();
      const id = newDocumentId();
      const room = await rooms.acquire(id);
      room.writer.enqueue(textUpdate("kept"));

      await rooms.close();
      assert.equal(rooms.size, 0, "no room is left loaded");
      assert.equal(rooms.peek(id), undefined);
      assert.ok(room.awareness.doc.isDestroyed, "the room's Awareness (and its timer) is destroyed");
      assert.ok(room.writer.idle, "its writer holds nothing");
      assert.equal(await storedText(storage, id), "kept", "what it held was committed first");

      // The socket's close arrives after shutdown: no unload starts (it would write to a
      // database that is about to close).
      rooms.release(room);
      assert.equal(rooms.size, 0);
    });

    test("a room released while close() runs is unloaded or destroyed before close() resolves", async () => {
      const rooms = newRooms();
      const id = newDocumentId();
      const room = await rooms.acquire(id);
      room.writer.enqueue(textUpdate("late"));
      const closing = rooms.close();
      rooms.release(room);
      await closing;
      assert.equal(rooms.size, 0);
      assert.ok(room.awareness.doc.isDestroyed);
      assert.equal(await storedText(storage, id), "late");
    });

    test("after close() begins, acquiring refuses with RoomsClosedError and builds no room", async () => {
      const rooms = newRooms();
      const id = newDocumentId();
      await storage.append(id, textUpdate("stored"));
      // A load already reading the database when shutdown begins.
      const loading = rooms.acquire(id);
      const closing = rooms.close();
      await assert.rejects(loading, RoomsClosedError);
      await closing;
      assert.equal(rooms.size, 0);
      await assert.rejects(rooms.acquire(newDocumentId()), RoomsClosedError);
      assert.equal(rooms.size, 0);
    });
  });
}
