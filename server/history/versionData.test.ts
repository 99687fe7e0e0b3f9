// Version deltas carry only the deletions made since the version before, and a chain of them
// rebuilds every version exactly.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { deltaOf, keyframeOf, mergeDeletions, rebuild, type DeleteSet } from "./versionData.ts";

test("a keyframe and deltas with only their new deletions rebuild every version; a delta does not repeat the whole delete set", () => {
  const doc = new Y.Doc();
  const text = doc.getText("t");
  let deletions: DeleteSet[] = [];
  doc.on("afterTransaction", (transaction: Y.Transaction) => {
    if (transaction.deleteSet.clients.size > 0) deletions.push(transaction.deleteSet);
  });
  text.insert(0, "The quick brown fox jumps over the lazy dog. ".repeat(20));
  // Many scattered deletions: a large delete set.
  for (let i = 0; i < 200; i++) text.delete((i * 37) % (text.length - 1), 1);
  const chain = [keyframeOf(doc)];
  const expected = [text.toString()];
  let stateVector = Y.encodeStateVector(doc);
  deletions = [];
  const wholeDeleteSetBytes = deltaOf(doc, stateVector, null).length;
  for (let i = 0; i < 40; i++) {
    text.delete(i % 7, 2);
    text.insert(i % 11, `v${i}`);
    const delta = deltaOf(doc, stateVector, mergeDeletions(deletions));
    assert.ok(delta.length < wholeDeleteSetBytes / 4, `delta ${i}: ${delta.length} bytes, the whole delete set alone ${wholeDeleteSetBytes}`);
    deletions = [];
    stateVector = Y.encodeStateVector(doc);
    chain.push(delta);
    expected.push(text.toString());
  }
  for (let i = 0; i < chain.length; i++) assert.equal(rebuild(chain.slice(0, i + 1)).getText("t").toString(), expected[i], `version ${i}`);
});
