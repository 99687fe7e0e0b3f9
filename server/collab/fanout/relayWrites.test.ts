// Who writes an update when several instances have its document open: the instance its client
// sent it to (the origin), once. The peers that apply it through Redis hold it until the origin
// says it is stored, and write it themselves only when that word does not come: the origin
// cannot commit (here its appends hang, as between relay and commit before a crash), the peer's
// last client leaves, or the peer shuts down. (A real SIGKILL of the origin: durability/
// peerInstance.test.ts.) Needs PostgreSQL and Redis.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import { newDocumentId } from "../../../lib/documentId.ts";
import type { Database } from "../../db/Database.ts";
import { startInstancePair, type InstancePair } from "../../testing/instancePair.ts";
import { createLink, createOwnedDocument } from "../../testing/accessFixtures.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../../testing/startCollabTestServer.ts";
import { withAppendHook } from "../../testing/appendHook.ts";
import { SqlDocumentStorage } from "../storage/SqlDocumentStorage.ts";
import { docFrom } from "../../testing/TaggedEditor.ts";
import { connectClient, synced, waitFor } from "../../testing/yClients.ts";

process.env.LOG_LEVEL = "silent";
const redisUrl = process.env.REDIS_URL;
const skip = redisUrl && process.env.DATABASE_URL ? false : "needs REDIS_URL and DATABASE_URL (two instances, one PostgreSQL)";
const TYPED_UPDATES = 20;

interface LogRows {
  rows: number;
  bytes: number;
  /** For each clock of `client`, how many log rows hold it. */
  copies: Map<number, number>;
}

/** The document's update log as stored, and how often each of `client`'s structs is in it. */
async function logRows(database: Database, documentId: string, client: number): Promise<LogRows> {
  const rows = await database.sql.query<{ update: Uint8Array }>("SELECT update FROM document_updates WHERE document_id = $1", [documentId]);
  const copies = new Map<number, number>();
  let bytes = 0;
  for (const { update } of rows) {
    bytes += update.length;
    for (const struct of Y.decodeUpdate(update).structs) {
      if (struct.id.client !== client || struct instanceof Y.Skip) continue;
      for (let clock = struct.id.clock; clock < struct.id.clock + struct.length; clock++) copies.set(clock, (copies.get(clock) ?? 0) + 1);
    }
  }
  return { rows: rows.length, bytes, copies };
}

/** Types `count` separate updates (one insert each, each sent on its own). */
async function typeUpdates(doc: Y.Doc, count: number, label: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    doc.getText("t").insert(doc.getText("t").length, `${label}${i} `);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("relayed updates are written once", { skip, timeout: 120_000 }, () => {
  let pair: InstancePair;

  before(async () => {
    pair = await startInstancePair(redisUrl!);
  });

  after(async () => {
    await pair?.close();
  });

  test("an update typed on one instance is stored exactly once while the other instance has it", async () => {
    const { one, two } = pair;
    const id = await createOwnedDocument(one.database.prisma, null);
    const { token } = await createLink(one.database.prisma, id, "editor");
    const writer = connectClient(`ws://127.0.0.1:${one.port}/collab`, id, undefined, { token });
    const reader = connectClient(`ws://127.0.0.1:${two.port}/collab`, id, undefined, { token });
    try {
      await Promise.all([synced(writer), synced(reader)]);
      await typeUpdates(writer.doc, TYPED_UPDATES, "typed");
      const expected = writer.doc.getText("t").toString();
      await waitFor(() => reader.doc.getText("t").toString() === expected, "instance two's client has every update");
      const roomOne = one.collab.rooms.peek(id)!;
      const roomTwo = two.collab.rooms.peek(id)!;
      assert.equal(roomTwo.doc.getText("t").toString(), expected, "instance two applied them");
      // Instance one committed and said so; instance two heard it and holds nothing.
      await waitFor(() => roomOne.writer.idle && roomTwo.unconfirmed!.size === 0 && roomTwo.writer.idle, "both instances settled");

      const stored = await logRows(one.database, id, writer.doc.clientID);
      const clocks = Y.encodeStateVector(writer.doc);
      const typedStructs = Y.decodeStateVector(clocks).get(writer.doc.clientID)!;
      console.log(
        `[relay] ${TYPED_UPDATES} updates typed on instance one, applied by both: ${stored.rows} rows, ${stored.bytes} bytes in document_updates ` +
          `(${(stored.rows / TYPED_UPDATES).toFixed(2)} rows, ${(stored.bytes / TYPED_UPDATES).toFixed(1)} bytes per typed update)`,
      );
      assert.equal(stored.copies.size, typedStructs, "every typed struct is stored");
      const duplicated = [...stored.copies.values()].filter((n) => n > 1).length;
      assert.equal(duplicated, 0, "no struct is stored twice");
      assert.equal(docFrom(await new SqlDocumentStorage(two.database.sql).load(id)).getText("t").toString(), expected);
    } finally {
      writer.destroy();
      reader.destroy();
    }
  });
});

describe("a peer writes what its origin never confirmed", { skip, timeout: 120_000 }, () => {
  let database: TestDatabase;
  let one: CollabTestServer;
  let two: CollabTestServer;
  /** Instance one's appends wait on this: closed, it is stuck between relay and commit. */
  let appendGate: Promise<void> = Promise.resolve();
  let openGate = () => {};
  const appendsByTwo: Uint8Array[] = [];

  before(async () => {
    database = (await createTestDatabase("postgres"))!;
    one = await startCollabTestServer(database.options, { redisUrl, wrapStorage: (storage) => withAppendHook(storage, () => appendGate) });
    two = await startCollabTestServer(database.options, {
      redisUrl,
      wrapStorage: (storage) => withAppendHook(storage, (_, update) => void appendsByTwo.push(update)),
      confirmTimeoutMs: 3_000,
    });
  });

  after(async () => {
    openGate();
    await one?.close();
    await two?.close();
    await database?.drop();
  });

  function closeGate(): void {
    appendGate = new Promise<void>((resolve) => (openGate = resolve));
  }

  async function storedText(id: string): Promise<string> {
    return docFrom(await one.storage.load(id)).getText("t").toString();
  }

  /** A writer on instance one and a reader on `peer`; instance one then gets stuck before its
   *  commits, and the reader receives five updates the writer typed. */
  async function typedWhileStuck(peer: CollabTestServer, label: string) {
    const id = newDocumentId();
    const writer = connectClient(one.wsUrl, id);
    const reader = connectClient(peer.wsUrl, id);
    try {
      await Promise.all([synced(writer), synced(reader)]);
      closeGate();
      await typeUpdates(writer.doc, 5, label);
      const expected = writer.doc.getText("t").toString();
      await waitFor(() => reader.doc.getText("t").toString() === expected, "the peer's client has the updates");
      return { id, writer, reader, expected };
    } catch (error) {
      openGate();
      writer.destroy();
      reader.destroy();
      throw error;
    }
  }

  test("the origin stuck before its commit: the peer writes the updates after the timeout", async () => {
    const { id, writer, reader, expected } = await typedWhileStuck(two, "stuck");
    try {
      await waitFor(async () => (await storedText(id)) === expected, "instance two wrote them");
      assert.ok(appendsByTwo.length > 0, "written by instance two");
      assert.equal(one.collab.rooms.peek(id)!.writer.idle, false, "instance one has still not committed");
    } finally {
      openGate();
      writer.destroy();
      reader.destroy();
    }
  });

  test("the peer's last client leaves while updates are unconfirmed: they are written before it lets the document go", async () => {
    const { id, writer, reader, expected } = await typedWhileStuck(two, "leaving");
    try {
      const roomTwo = two.collab.rooms.peek(id)!;
      assert.ok(roomTwo.unconfirmed!.size > 0, "instance two holds them unconfirmed");
      reader.destroy();
      await waitFor(() => two.collab.rooms.peek(id) === undefined, "instance two unloaded the document");
      assert.equal(await storedText(id), expected, "stored before the unload, while instance one still cannot commit");
    } finally {
      openGate();
      writer.destroy();
      reader.destroy();
    }
  });

  test("the peer shuts down while updates are unconfirmed: it writes them on the way out", async () => {
    // A peer that would wait a minute for a confirmation: only the shutdown can write them in time.
    const patient = await startCollabTestServer(database.options, { redisUrl, confirmTimeoutMs: 60_000 });
    let patientOpen = true;
    const { id, writer, reader, expected } = await typedWhileStuck(patient, "shutdown");
    try {
      assert.ok(patient.collab.rooms.peek(id)!.unconfirmed!.size > 0, "the peer holds them unconfirmed");
      reader.destroy();
      patientOpen = false;
      await patient.close();
      assert.equal(await storedText(id), expected, "stored by the peer's shutdown, while instance one still cannot commit");
    } finally {
      openGate();
      writer.destroy();
      reader.destroy();
      if (patientOpen) await patient.close();
    }
  });
});
