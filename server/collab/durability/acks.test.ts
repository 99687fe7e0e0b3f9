// Durable-save acks must never run ahead of the database, and must not stall. Deterministic
// frame-level cases found while writing the crash test (crash.test.ts): a raw WebSocket that
// negotiates the extension subprotocol sends exactly the frames under test.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as decoding from "lib0/decoding";
import type WebSocket from "ws";
import WS from "ws";
import * as Y from "yjs";
import { newDocumentId } from "../../../lib/documentId.ts";
import { EXTENSION_SUBPROTOCOL, ExtensionMessageType, readPersistedAck, type PersistedAck } from "../../../lib/protocolExtensions.ts";
import { encodeSyncUpdate } from "../protocol.ts";
import type { DocumentStorage } from "../storage/DocumentStorage.ts";
import { createTestDatabase } from "../../testing/testDatabase.ts";
import { startCollabTestServer, type CollabTestServer } from "../../testing/startCollabTestServer.ts";
import { docFrom } from "../../testing/TaggedEditor.ts";
import { sleep } from "../../testing/sleep.ts";
import { waitFor } from "../../testing/yClients.ts";

/** A raw extension client that records every durable-save ack it receives. */
async function openAckSocket(url: string): Promise<{ socket: WebSocket; acks: PersistedAck[] }> {
  const socket = new WS(url, [EXTENSION_SUBPROTOCOL]);
  const acks: PersistedAck[] = [];
  socket.on("message", (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) === ExtensionMessageType.PERSISTED) acks.push(readPersistedAck(decoder));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return { socket, acks };
}

const maxDurable = (acks: PersistedAck[]) => Math.max(0, ...acks.map((a) => a.durableUpdates));

describe("durable-save acks", () => {
  let server: CollabTestServer;
  let drop: () => Promise<void>;
  /** While set, appends wait for it: a write held in flight. */
  let gate: Promise<void> | null = null;
  const gated = (storage: DocumentStorage): DocumentStorage => ({
    load: (id) => storage.load(id),
    append: async (id, update) => {
      if (gate) await gate;
      return storage.append(id, update);
    },
    compact: (id) => storage.compact(id),
    ping: () => storage.ping(),
  });

  before(async () => {
    const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
    const db = await createTestDatabase(kind);
    assert.ok(db);
    drop = db.drop;
    server = await startCollabTestServer(db.options, { wrapStorage: gated });
  });
  after(async () => {
    await server.close();
    await drop();
  });

  test("an update the server cannot integrate yet (missing dependency) is not acknowledged durable", async () => {
    const id = newDocumentId();
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on("update", (u: Uint8Array) => updates.push(u));
    author.getText("t").insert(0, "first");
    author.getText("t").insert(5, " second"); // depends on "first"
    const { socket, acks } = await openAckSocket(`${server.wsUrl}/${id}`);
    try {
      await waitFor(() => acks.length > 0, "join ack");
      // Only the dependent update: the server must keep it pending, it is in no database row.
      socket.send(encodeSyncUpdate(updates[1]));
      await sleep(500);
      const stored = docFrom(await server.storage.load(id)).getText("t").toString();
      assert.equal(stored, "", "nothing of the dependent update can be stored yet");
      assert.equal(
        maxDurable(acks),
        0,
        `server acknowledged durableUpdates=${maxDurable(acks)} for an update it only holds as pending structs ` +
          `(stored text: ${JSON.stringify(stored)})`,
      );
      // Once the dependency arrives both are integrated, written and acknowledged.
      socket.send(encodeSyncUpdate(updates[0]));
      await waitFor(() => maxDurable(acks) >= 2, "ack of both frames");
      assert.equal(docFrom(await server.storage.load(id)).getText("t").toString(), "first second");
    } finally {
      socket.close();
    }
  });

  test("an update that changes nothing, received while another write is in flight, is still acknowledged", async () => {
    const id = newDocumentId();
    const writer = await openAckSocket(`${server.wsUrl}/${id}`);
    const idle = await openAckSocket(`${server.wsUrl}/${id}`);
    let release!: () => void;
    try {
      await waitFor(() => writer.acks.length > 0 && idle.acks.length > 0, "join acks");
      gate = new Promise<void>((resolve) => (release = resolve));
      const doc = new Y.Doc();
      doc.getText("t").insert(0, "hello");
      writer.socket.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
      await sleep(100); // the write is now held in flight
      // A duplicate of what the server has (as a reconnecting client's sync step 2 often is).
      await waitFor(() => server.collab.rooms.peek(id)?.doc.getText("t").toString() === "hello", "server applied");
      idle.socket.send(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
      await sleep(100);
      gate = null;
      release();
      await waitFor(() => maxDurable(writer.acks) >= 1, "writer's update acknowledged");
      await waitFor(() => maxDurable(idle.acks) >= 1, "the no-op update acknowledged", 3_000).catch(() => {
        assert.fail(
          `the no-op update frame was never acknowledged (acks received: ${JSON.stringify(idle.acks.map((a) => a.durableUpdates))}); ` +
            "a client that sent it can never show Saved until it edits again",
        );
      });
    } finally {
      gate = null;
      release?.();
      writer.socket.close();
      idle.socket.close();
    }
  });
});
