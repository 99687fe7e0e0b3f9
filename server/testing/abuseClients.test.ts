// The abuse suites' liveness probe must not be fooled by an answer to a frame sent before it:
// a server that answered an earlier sync step 1 and then stopped reading is a hang.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import { syncFrame } from "./abuseFrames.ts";
import { probe, PROBE_FRAME, tryConnect } from "./abuseClients.ts";

describe("probe", () => {
  let wss: WebSocketServer;
  let url: string;
  /** The answering server: a Y.Doc that applies updates and answers step 1 with step 2, in
   *  order; after a frame [9] it goes deaf (reads on, answers nothing), as a stuck room would. */
  before(async () => {
    wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    wss.on("connection", (socket) => {
      const doc = new Y.Doc();
      let deaf = false;
      const replies: Uint8Array[] = [];
      socket.on("message", (data: Buffer) => {
        const bytes = new Uint8Array(data);
        if (bytes[0] === 9) deaf = true;
        if (deaf || bytes[0] !== 0) return;
        const decoder = decoding.createDecoder(bytes.subarray(2));
        const payload = decoding.readVarUint8Array(decoder);
        if (bytes[1] === 0) replies.push(syncFrame(1, Y.encodeStateAsUpdate(doc, payload)));
        else Y.applyUpdate(doc, payload);
      });
      // Answers leave late, as from a busy server: after the probe was sent.
      const timer = setInterval(() => {
        for (const reply of replies.splice(0)) socket.send(reply);
      }, 50);
      socket.on("close", () => {
        clearInterval(timer);
        doc.destroy();
      });
    });
  });
  after(() => {
    // A failed assertion leaves its socket open; the server would wait for it for ever.
    for (const client of wss.clients) client.terminate();
    return new Promise<void>((resolve) => wss.close(() => resolve()));
  });

  async function open() {
    const outcome = await tryConnect(url);
    assert.equal(outcome.kind, "open");
    if (outcome.kind !== "open") throw new Error("not open");
    return outcome.socket;
  }

  test("is answered by a live server", async () => {
    const socket = await open();
    socket.send(PROBE_FRAME);
    assert.deepEqual(await probe(socket, 1_000), { kind: "answered" });
    socket.close();
  });

  test("reports a hang when only a frame sent before the probe was answered", async () => {
    const socket = await open();
    socket.send(PROBE_FRAME); // answered, late
    socket.send(Uint8Array.of(9)); // then the server stops answering
    assert.deepEqual(await probe(socket, 1_000), { kind: "hang" });
    socket.terminate();
  });
});
