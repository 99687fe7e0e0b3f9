// Integration tests: the real collab server on port 0, a real database (PGlite, and
// PostgreSQL when DATABASE_URL is set), and stock y-websocket clients over real sockets.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { CloseCode } from "../../lib/closeCodes.ts";
import { newDocumentId } from "../../lib/documentId.ts";
import { MessageType } from "../../lib/messageType.ts";
import { createTestDatabase, databaseKinds } from "../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../testing/startCollabTestServer.ts";
import { closeCode, connectClient, connectTrackedClient, openRawSocket, synced, waitFor } from "../testing/yClients.ts";
import type { DocumentStorage } from "./storage/DocumentStorage.ts";

for (const kind of databaseKinds) {
  describe(`collab server on ${kind}`, () => {
    let dbOptions: { databaseUrl?: string; dataDir: string };
    let drop: () => Promise<void>;
    let server: CollabTestServer;
    let loads = 0;
    /** Appends wait for this gate: a test can hold commits back and watch what clients are told. */
    let appendGate: Promise<void> = Promise.resolve();
    const countLoads = (storage: DocumentStorage): DocumentStorage => ({
      load: (id) => {
        loads++;
        return storage.load(id);
      },
      append: async (id, u) => {
        await appendGate;
        return storage.append(id, u);
      },
      compact: (id) => storage.compact(id),
      ping: () => storage.ping(),
    });

    before(async () => {
      const testDb = await createTestDatabase(kind);
      assert.ok(testDb, `${kind} test database`);
      dbOptions = testDb.options;
      drop = testDb.drop;
      server = await startCollabTestServer(dbOptions, { wrapStorage: countLoads });
    });

    after(async () => {
      await server.close();
      await drop();
    });

    test("two y-websocket clients see each other's edits both ways", async () => {
      const id = newDocumentId();
      const a = connectClient(server.wsUrl, id);
      const b = connectClient(server.wsUrl, id);
      try {
        await Promise.all([synced(a), synced(b)]);
        a.doc.getText("t").insert(0, "hello");
        await waitFor(() => b.doc.getText("t").toString() === "hello", "b sees a");
        b.doc.getText("t").insert(5, " world");
        await waitFor(() => a.doc.getText("t").toString() === "hello world", "a sees b");
      } finally {
        a.destroy();
        b.destroy();
      }
    });

    test("a late joiner receives the whole document", async () => {
      const id = newDocumentId();
      const a = connectClient(server.wsUrl, id);
      await synced(a);
      a.doc.getMap("m").set("k", "v");
      a.doc.getText("t").insert(0, "before you came");
      const b = connectClient(server.wsUrl, id);
      try {
        await synced(b);
        await waitFor(() => b.doc.getText("t").toString() === "before you came", "late joiner content");
        assert.equal(b.doc.getMap("m").get("k"), "v");
      } finally {
        a.destroy();
        b.destroy();
      }
    });

    test("awareness reaches others and is removed for everyone when a client disconnects", async () => {
      const id = newDocumentId();
      const a = connectClient(server.wsUrl, id);
      const b = connectClient(server.wsUrl, id);
      try {
        await Promise.all([synced(a), synced(b)]);
        a.awareness.setLocalStateField("user", { name: "Ada", color: "#f00" });
        const aId = a.doc.clientID;
        await waitFor(() => b.awareness.getStates().get(aId)?.user?.name === "Ada", "b sees a's awareness");
        // Simulate a crashed tab: the socket dies without a clean awareness removal.
        a.shouldConnect = false;
        (a.ws as unknown as { terminate(): void }).terminate();
        await waitFor(() => !b.awareness.getStates().has(aId), "a's awareness removed at b");
      } finally {
        a.destroy();
        b.destroy();
      }
    });

    test("concurrent joiners share one load and the room unloads after the last leaves", async () => {
      const id = newDocumentId();
      const before = loads;
      const clients = Array.from({ length: 5 }, () => connectClient(server.wsUrl, id));
      await Promise.all(clients.map((c) => synced(c)));
      assert.equal(loads - before, 1, "one load for five concurrent joiners");
      // A log past the compaction thresholds (rows and bytes), so the unload compacts it.
      const logRows = () => server.database.prisma.documentUpdate.count({ where: { documentId: id } });
      let text = "";
      for (let i = 0; i < 60; i++) {
        const rowsBefore = await logRows();
        const chunk = `${String(i).padStart(2, "0")}${"x".repeat(98)}`;
        clients[0].doc.getText("t").insert(text.length, chunk);
        text += chunk;
        await waitFor(async () => (await logRows()) > rowsBefore, "edit written as its own row");
      }
      await waitFor(() => clients.every((c) => c.doc.getText("t").toString() === text), "all see the text");
      for (const c of clients) c.destroy();
      await waitFor(() => server.collab.rooms.peek(id) === undefined, "room unloaded");
      const stored = await server.database.prisma.documentSnapshot.findUnique({ where: { documentId: id } });
      assert.ok(stored, "snapshot written on unload");
      assert.equal(await server.database.prisma.documentUpdate.count({ where: { documentId: id } }), 0, "log merged");
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored.state);
      assert.equal(doc.getText("t").toString(), text);
    });

    test("a small edit is not worth a snapshot rewrite: it stays in the log and loads from there", async () => {
      const id = newDocumentId();
      const a = connectClient(server.wsUrl, id);
      await synced(a);
      a.doc.getText("t").insert(0, "small");
      a.destroy();
      await waitFor(() => server.collab.rooms.peek(id) === undefined, "room unloaded");
      assert.equal(await server.database.prisma.documentSnapshot.count({ where: { documentId: id } }), 0);
      assert.ok((await server.database.prisma.documentUpdate.count({ where: { documentId: id } })) > 0);
      const b = connectClient(server.wsUrl, id);
      try {
        await synced(b);
        assert.equal(b.doc.getText("t").toString(), "small");
      } finally {
        b.destroy();
      }
    });

    test("a client joining while the room unloads gets the live document, never a destroyed one", async () => {
      const id = newDocumentId();
      let expected = "";
      for (let i = 0; i < 15; i++) {
        const client = connectClient(server.wsUrl, id);
        await synced(client);
        assert.equal(client.doc.getText("t").toString(), expected, `round ${i}: joiner sees everything so far`);
        client.doc.getText("t").insert(expected.length, String(i % 10));
        expected += String(i % 10);
        await waitFor(() => server.collab.rooms.peek(id)?.doc.getText("t").toString() === expected, "server has edit");
        // Leave and let the next client join at once, racing the unload's flush and compaction.
        client.destroy();
      }
      await waitFor(() => server.collab.rooms.peek(id) === undefined, "room unloaded");
      const stored = await server.storage.load(id);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored!);
      assert.equal(doc.getText("t").toString(), expected);
    });

    test("garbage frames close only the sender with 4400; others keep editing", async () => {
      const id = newDocumentId();
      const good = connectClient(server.wsUrl, id);
      const peer = connectClient(server.wsUrl, id);
      await Promise.all([synced(good), synced(peer)]);
      const frames: Uint8Array[] = [
        new Uint8Array([]),
        new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        new Uint8Array([MessageType.SYNC, 9]),
        new Uint8Array([42]),
        new Uint8Array([MessageType.SYNC, 2, 0xff, 0xff, 0xff, 0x7f, 1, 2]),
        (() => {
          const e = encoding.createEncoder();
          encoding.writeVarUint(e, MessageType.SYNC);
          encoding.writeVarUint(e, 2);
          encoding.writeVarUint8Array(e, new Uint8Array([0, 5, 200, 1, 2, 3, 4, 5, 6, 7]));
          return encoding.toUint8Array(e);
        })(),
        new Uint8Array([MessageType.AWARENESS, 3, 1, 2, 3]),
      ];
      try {
        for (const frame of frames) {
          const raw = await openRawSocket(`${server.wsUrl}/${id}`);
          const code = closeCode(raw);
          raw.send(frame);
          assert.equal(await code, CloseCode.BAD_MESSAGE, `frame ${Buffer.from(frame).toString("hex")}`);
        }
        const text = await openRawSocket(`${server.wsUrl}/${id}`);
        const textCode = closeCode(text);
        text.send("hello");
        assert.equal(await textCode, CloseCode.BAD_MESSAGE);
        good.doc.getText("t").insert(0, "still fine");
        await waitFor(() => peer.doc.getText("t").toString() === "still fine", "peer still receives");
      } finally {
        good.destroy();
        peer.destroy();
      }
    });

    test("an invalid document id is refused at the upgrade", async () => {
      await assert.rejects(openRawSocket(`${server.wsUrl}/${"x".repeat(65)}`), /400/);
      await assert.rejects(openRawSocket(`${server.wsUrl}/bad%2Fid`), /400/);
    });

    test("updates are acknowledged once durable, only to clients that negotiated extensions", async () => {
      const id = newDocumentId();
      const { provider, tracker } = connectTrackedClient(server.wsUrl, id);
      const stock = await openRawSocket(`${server.wsUrl}/${id}`);
      const stockTypes = new Set<number>();
      stock.on("message", (data: Buffer) => stockTypes.add(data[0]));
      try {
        await synced(provider);
        await waitFor(() => tracker.saved, "initial ack");
        const text = provider.doc.getText("t");
        // Commits held back: the server has the updates, and must not acknowledge them yet.
        let commit!: () => void;
        appendGate = new Promise<void>((resolve) => (commit = resolve));
        for (let i = 0; i < 20; i++) text.insert(text.length, `line ${i}\n`);
        text.delete(0, 7);
        await waitFor(() => server.collab.rooms.peek(id)?.doc.getText("t").toString() === text.toString(), "the server applied every update");
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(tracker.saved, false, "not acknowledged while the commit is held");
        assert.notEqual(await server.storage.load(id).then((s) => (s ? textOf(s) : "")), text.toString(), "and indeed not stored");
        commit();
        appendGate = Promise.resolve();
        await waitFor(() => tracker.saved, "all updates acknowledged");
        // Acknowledged means in the database: a fresh load has exactly the client's text.
        const stored = await server.storage.load(id);
        assert.ok(stored);
        const fromDb = new Y.Doc();
        Y.applyUpdate(fromDb, stored);
        assert.equal(fromDb.getText("t").toString(), text.toString());
        assert.ok(tracker.snapshot.durableUpdates >= 21, "every update frame counted");
        await waitFor(() => stockTypes.has(MessageType.SYNC), "stock client got sync frames");
        assert.deepEqual([...stockTypes].filter((t) => t > MessageType.QUERY_AWARENESS), [], "stock client saw only classic frames");
        assert.equal(stock.protocol, "", "no subprotocol for a stock client");
      } finally {
        tracker.destroy();
        provider.destroy();
        stock.close();
      }
    });

    test("content survives a server restart", async () => {
      const id = newDocumentId();
      const a = connectClient(server.wsUrl, id);
      await synced(a);
      a.doc.getText("t").insert(0, "durable text");
      a.doc.getArray("list").push([1, 2, 3]);
      // Wait until the server has the edit, then restart it with the client still connected.
      await waitFor(() => server.collab.rooms.peek(id)?.doc.getText("t").toString() === "durable text", "server has edit");
      await server.close();
      server = await startCollabTestServer(dbOptions, { wrapStorage: countLoads });
      a.destroy();
      const b = connectClient(server.wsUrl, id);
      try {
        await synced(b);
        assert.equal(b.doc.getText("t").toString(), "durable text");
        assert.deepEqual(b.doc.getArray("list").toArray(), [1, 2, 3]);
      } finally {
        b.destroy();
      }
    });
  });
}

/** The "t" text of a stored state. */
function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText("t").toString();
}
