// JoinFrames: whatever mix of stored state and later updates it holds, a new client that
// applies its frames has exactly the document; and it re-encodes rather than grow unbounded.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { JoinFrames } from "./JoinFrames.ts";
import { decodeMessage, encodeSyncUpdate } from "./protocol.ts";

function applyFrames(frames: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  frames.forEach((frame, index) => {
    const message = decodeMessage(frame);
    // y-websocket clients say "synced" on step 2: it must be the last frame.
    assert.equal(message.kind, index === frames.length - 1 ? "sync-step2" : "sync-update");
    Y.applyUpdate(doc, (message as { update: Uint8Array }).update);
  });
  return doc;
}

test("a new client has exactly the document once it applied the step 2 frame, which comes last", () => {
  const stored = new Y.Doc();
  stored.getText("t").insert(0, "stored text ");
  const doc = new Y.Doc();
  const state = Y.encodeStateAsUpdate(stored);
  Y.applyUpdate(doc, state);
  const joinFrames = new JoinFrames(state);
  doc.on("update", (update: Uint8Array) => joinFrames.onUpdate(encodeSyncUpdate(update)));

  const counts: number[] = [];
  for (let i = 0; i < 600; i++) {
    doc.getText("t").insert(i % 7, `${i},`);
    if (i % 3 === 0) doc.getText("t").delete(0, 1);
    if (i % 50 === 0) {
      const frames = joinFrames.framesFor(() => doc);
      counts.push(frames.length);
      assert.equal(applyFrames(frames).getText("t").toString(), doc.getText("t").toString(), `after ${i + 1} updates`);
    }
  }
  // Trailing frames accumulate, then the cache is rebuilt as one frame: bounded, never empty.
  assert.ok(Math.max(...counts) > 1, `frames accumulate (${counts})`);
  assert.ok(Math.max(...counts) <= 257, `bounded (${counts})`);
  assert.ok(counts.slice(1).some((n, i) => n < counts[i]), `rebuilt at some point (${counts})`);
});

test("only an empty state vector counts as a new client", () => {
  assert.equal(JoinFrames.isEmpty(Y.encodeStateVector(new Y.Doc())), true);
  const doc = new Y.Doc();
  doc.getText("t").insert(0, "x");
  assert.equal(JoinFrames.isEmpty(Y.encodeStateVector(doc)), false);
});
