// The title's Y.Text is changed by the smallest splice, so two people renaming at once merge
// instead of one overwriting the other, and a caret follows others' edits.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { changeEnd, documentTitleText, hasTitleText, mapCaretThroughDelta, setTitleText, textSplice, type TextDeltaOp } from "./documentTitleText.ts";

test("textSplice keeps the common prefix and suffix", () => {
  assert.equal(textSplice("same", "same"), null);
  assert.deepEqual(textSplice("Quarterly plan", "Quarterly budget plan"), { index: 10, deleteCount: 0, insert: "budget " });
  assert.deepEqual(textSplice("Quarterly plan", "Quarterly"), { index: 9, deleteCount: 5, insert: "" });
  assert.deepEqual(textSplice("", "New"), { index: 0, deleteCount: 0, insert: "New" });
  assert.deepEqual(textSplice("abc", "xyz"), { index: 0, deleteCount: 3, insert: "xyz" });
  // Repeated letters: still one minimal splice.
  assert.deepEqual(textSplice("aaa", "aaaa"), { index: 3, deleteCount: 0, insert: "a" });
});

test("textSplice never cuts an emoji (a surrogate pair) in two", () => {
  // 😀 is \ud83d\ude00, 😁 is \ud83d\ude01: same high surrogate.
  const splice = textSplice("a😀b", "a😁b")!;
  assert.deepEqual(splice, { index: 1, deleteCount: 2, insert: "😁" });
  // Same low surrogate, different high: 𐀀 (\ud800\udc00) → 🐀 (\ud83d\udc00).
  assert.deepEqual(textSplice("x\ud800\udc00", "x\ud83d\udc00"), { index: 1, deleteCount: 2, insert: "\ud83d\udc00" });
  for (const [before, after] of [["😀😀", "😀😁😀"], ["a😀", "a"], ["", "😀"], ["😀x", "😁x"]]) {
    const text = new Y.Doc().getText("t");
    text.insert(0, before);
    setTitleText(text, after);
    assert.equal(text.toString(), after);
  }
});

test("two concurrent renames merge: each person's change survives", () => {
  const ada = new Y.Doc();
  const bob = new Y.Doc();
  setTitleText(documentTitleText(ada), "Quarterly plan");
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(ada));
  // Offline from each other: Ada adds a word in the middle, Bob one at the end.
  setTitleText(documentTitleText(ada), "Quarterly budget plan");
  setTitleText(documentTitleText(bob), "Quarterly plan 2027");
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(ada));
  Y.applyUpdate(ada, Y.encodeStateAsUpdate(bob));
  assert.equal(documentTitleText(ada).toString(), "Quarterly budget plan 2027");
  assert.equal(documentTitleText(bob).toString(), "Quarterly budget plan 2027");
});

test("hasTitleText: false for a document that never had a title, true even once it was emptied", () => {
  const doc = new Y.Doc();
  doc.getXmlFragment("default").insert(0, [new Y.XmlElement("paragraph")]);
  const loaded = new Y.Doc();
  Y.applyUpdate(loaded, Y.encodeStateAsUpdate(doc));
  assert.equal(hasTitleText(loaded), false);
  documentTitleText(loaded);
  assert.equal(hasTitleText(loaded), false, "reading the (empty) type does not count");
  setTitleText(documentTitleText(doc), "Named");
  setTitleText(documentTitleText(doc), "");
  const emptied = new Y.Doc();
  Y.applyUpdate(emptied, Y.encodeStateAsUpdate(doc));
  assert.equal(documentTitleText(emptied).toString(), "");
  assert.equal(hasTitleText(emptied), true);
});

test("mapCaretThroughDelta: a caret follows others' inserts and deletes before it, not at it", () => {
  const deltaOf = (before: string, change: (text: Y.Text) => void): TextDeltaOp[] => {
    const text = new Y.Doc().getText("t");
    text.insert(0, before);
    let delta: TextDeltaOp[] = [];
    text.observe((event) => (delta = event.delta as TextDeltaOp[]));
    change(text);
    return delta;
  };
  const insertAtStart = deltaOf("hello world", (t) => t.insert(0, ">> "));
  assert.equal(mapCaretThroughDelta(5, insertAtStart), 8);
  const insertAtCaret = deltaOf("hello world", (t) => t.insert(5, "!!"));
  assert.equal(mapCaretThroughDelta(5, insertAtCaret), 5);
  const insertAfter = deltaOf("hello world", (t) => t.insert(8, "xx"));
  assert.equal(mapCaretThroughDelta(5, insertAfter), 5);
  const deleteBefore = deltaOf("hello world", (t) => t.delete(0, 2));
  assert.equal(mapCaretThroughDelta(5, deleteBefore), 3);
  const deleteAround = deltaOf("hello world", (t) => t.delete(3, 5));
  assert.equal(mapCaretThroughDelta(5, deleteAround), 3);
  assert.equal(mapCaretThroughDelta(11, deleteAround), 6);
  // An undo restoring "brave " or removing it puts the caret right after the change.
  assert.equal(changeEnd(deltaOf("hello world", (t) => t.insert(6, "brave "))), 12);
  assert.equal(changeEnd(deltaOf("hello brave world", (t) => t.delete(6, 6))), 6);
  assert.equal(changeEnd(deltaOf("ab", (t) => { t.delete(0, 1); t.insert(1, "xy"); })), 3);
});
