// Frames we build ourselves must be exactly what a WebSocket client reads: checked against
// ws's own frame parser at every length encoding (7-bit, 16-bit, 64-bit) and both layouts
// (copied behind the header, or header and payload as two buffers).

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Writable } from "node:stream";
import * as ws from "ws";

// ws's frame parser (what its clients read with); @types/ws does not declare it.
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean; binaryType: string }) => Writable;
};
import { wireFrame } from "./wireFrame.ts";

function parse(buffers: readonly Buffer[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false, binaryType: "nodebuffer" });
    const messages: Buffer[] = [];
    receiver.on("message", (data: Buffer, isBinary: boolean) => {
      assert.equal(isBinary, true);
      messages.push(data);
    });
    receiver.on("error", reject);
    for (const buffer of buffers) receiver.write(buffer);
    receiver.end(() => resolve(messages));
  });
}

test("a client's parser reads our frames back byte for byte, at every length encoding", async () => {
  const lengths = [0, 1, 125, 126, 127, 16 * 1024, 16 * 1024 + 1, 65_535, 65_536, 300_000];
  const payloads = lengths.map((length) => {
    const payload = new Uint8Array(length);
    for (let i = 0; i < length; i++) payload[i] = (i * 31 + length) & 0xff;
    return payload;
  });
  // A payload that is a view into a larger buffer, as lib0 encoders hand them out.
  const backing = new Uint8Array(70_000).fill(7);
  payloads.push(backing.subarray(1_000, 68_000));

  const frames = payloads.flatMap((payload) => wireFrame(payload));
  const messages = await parse(frames);
  assert.equal(messages.length, payloads.length);
  messages.forEach((message, i) => assert.ok(Buffer.from(payloads[i]).equals(message), `payload of ${payloads[i].length} bytes`));
});

test("small frames are one buffer (one write); large ones are not copied", () => {
  assert.equal(wireFrame(new Uint8Array(40)).length, 1);
  const large = new Uint8Array(100_000);
  const [header, payload] = wireFrame(large);
  assert.equal(header.length, 10);
  assert.equal(payload.buffer, large.buffer, "the payload is sent from where it is");
});
