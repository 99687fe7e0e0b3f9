// Two collab server instances sharing one PostgreSQL database and one Redis: clients on
// different instances edit one document together, see each other's presence, and nothing
// falls between an instance's database load and its subscription.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { newDocumentId } from "../../../lib/documentId.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../../testing/startCollabTestServer.ts";
import { connectClient, synced, waitFor } from "../../testing/yClients.ts";

const redisUrl = process.env.REDIS_URL;
const kind = process.env.DATABASE_URL ? "postgres" : "pglite";

describe("fan-out across instances through Redis", { skip: redisUrl ? false : "REDIS_URL is not set" }, () => {
  let database: TestDatabase;
  let one: CollabTestServer;
  let two: CollabTestServer;
  let appendGate: Promise<void> = Promise.resolve();
  /** Instance two's loads of these documents wait, after reading, until released. */
  const heldLoads = new Map<string, Promise<void>>();

  before(async () => {
    // PGlite is single-process; two instances need PostgreSQL to share a database.
    assert.equal(kind, "postgres", "the multi-instance test needs DATABASE_URL");
    database = (await createTestDatabase("postgres"))!;
    // Instance one's appends can be held back, as during a database hiccup.
    one = await startCollabTestServer(database.options, {
      redisUrl,
      wrapStorage: (storage) => ({
        load: (id) => storage.load(id),
        append: async (id, update) => {
          await appendGate;
          return storage.append(id, update);
        },
        compact: (id) => storage.compact(id),
        ping: () => storage.ping(),
      }),
    });
    two = await startCollabTestServer(database.options, {
      redisUrl,
      wrapStorage: (storage) => ({
        load: async (id) => {
          const state = await storage.load(id);
          await heldLoads.get(id);
          return state;
        },
        append: (id, update) => storage.append(id, update),
        compact: (id) => storage.compact(id),
        ping: () => storage.ping(),
      }),
    });
  });

  after(async () => {
    await one?.close();
    await two?.close();
    await database?.drop();
  });

  test("clients on two instances edit together and see each other's awareness", async () => {
    const id = newDocumentId();
    const a = connectClient(one.wsUrl, id);
    const b = connectClient(two.wsUrl, id);
    try {
      await Promise.all([synced(a), synced(b)]);
      a.doc.getText("t").insert(0, "from one");
      await waitFor(() => b.doc.getText("t").toString() === "from one", "instance two relays instance one's edit");
      b.doc.getText("t").insert(8, ", from two");
      await waitFor(() => a.doc.getText("t").toString() === "from one, from two", "instance one relays instance two's edit");
      a.awareness.setLocalStateField("user", { name: "Ada" });
      await waitFor(() => b.awareness.getStates().get(a.doc.clientID)?.user?.name === "Ada", "awareness across instances");
      a.destroy();
      await waitFor(() => !b.awareness.getStates().has(a.doc.clientID), "awareness removed across instances");
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  test("a newcomer served the stored state gets the edits another instance published during the load", async () => {
    const id = newDocumentId();
    const a = connectClient(one.wsUrl, id);
    await synced(a);
    a.doc.getText("t").insert(0, "stored. ");
    await waitFor(async () => (await one.storage.load(id)) !== null, "stored");
    // Instance two reads the document, then (held) an edit on instance one reaches it through
    // Redis before its room exists; the newcomer there already has the stored state.
    let release!: () => void;
    heldLoads.set(id, new Promise<void>((resolve) => (release = resolve)));
    const b = connectClient(two.wsUrl, id);
    try {
      await waitFor(() => two.collab.rooms.size > 0, "instance two loading");
      await new Promise((resolve) => setTimeout(resolve, 100));
      a.doc.getText("t").insert(a.doc.getText("t").length, "published during the load.");
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Instance one lets the document go before instance two's room exists, so nobody answers
      // two's sync request: the edit can reach two only through what its subscription buffered.
      a.destroy();
      await waitFor(() => one.collab.rooms.peek(id) === undefined && one.collab.rooms.size === 0, "instance one unloaded the document");
      release();
      await synced(b);
      await waitFor(() => b.doc.getText("t").toString() === "stored. published during the load.", "newcomer has both");
    } finally {
      heldLoads.delete(id);
      a.destroy();
      b.destroy();
    }
  });

  test("an instance loading a document gets edits another instance has not yet persisted", async () => {
    const id = newDocumentId();
    const a = connectClient(one.wsUrl, id);
    await synced(a);
    // The edit lives only in instance one's memory when instance two loads the document.
    let openGate!: () => void;
    appendGate = new Promise<void>((resolve) => (openGate = resolve));
    a.doc.getText("t").insert(0, "only in memory");
    await waitFor(() => one.collab.rooms.peek(id)?.doc.getText("t").toString() === "only in memory", "instance one has the edit");
    assert.equal(await one.storage.load(id), null, "not in the database yet");
    const b = connectClient(two.wsUrl, id);
    try {
      await synced(b);
      await waitFor(() => b.doc.getText("t").toString() === "only in memory", "instance two got it from instance one");
    } finally {
      openGate();
      appendGate = Promise.resolve();
      a.destroy();
      b.destroy();
    }
  });
});
