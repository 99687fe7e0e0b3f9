// The struct reader agrees with Yjs: no subdocument in updates of every content kind (text with
// formats and embeds, maps with JSON and binary, arrays, XML, deletions, nested types, a real
// editing trace), a subdocument wherever one is, and unreadable input is left to Yjs.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { containsSubdocument, deleteSetOf } from "./updateStructs.ts";
import { craftedUpdates } from "../testing/abuseFrames.ts";
import { Random } from "../testing/seededRandom.ts";

function everyContentKind(): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText("text");
  text.insert(0, "hello world", { bold: true });
  text.insertEmbed(5, { image: "x.png" });
  text.format(0, 3, { italic: true });
  text.delete(1, 2);
  const map = doc.getMap("map");
  map.set("json", { a: [1, 2, { b: null }], c: "d" });
  map.set("binary", new Uint8Array([1, 2, 3]));
  map.set("number", 42.5);
  map.set("nested", new Y.Map());
  (map.get("nested") as Y.Map<unknown>).set("deep", new Y.Array());
  map.delete("number");
  const array = doc.getArray("array");
  array.insert(0, [1, "two", true, null, { three: 3 }]);
  array.delete(1, 1);
  const fragment = doc.getXmlFragment("xml");
  const element = new Y.XmlElement("paragraph");
  element.setAttribute("align", "left");
  element.insert(0, [new Y.XmlText("inside")]);
  // (Yjs accepts hooks in fragments; its typings do not list them.)
  fragment.insert(0, [element, new Y.XmlHook("hook") as unknown as Y.XmlElement]);
  return doc;
}

test("no subdocument is found where Yjs finds none", () => {
  const doc = everyContentKind();
  assert.equal(containsSubdocument(Y.encodeStateAsUpdate(doc)), false);
  // Incremental updates too (origins set, parents implied), over a seeded random session.
  const random = new Random(7);
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  const text = doc.getText("text");
  for (let i = 0; i < 500; i++) {
    const at = random.int(0, text.length + 1);
    if (i % 5 === 4 && text.length > 2) text.delete(Math.min(at, text.length - 2), 2);
    else text.insert(at, String(i), i % 7 === 0 ? { bold: true } : undefined);
    if (i % 50 === 0) doc.getArray("array").push([{ i }, new Uint8Array([i % 256])]);
  }
  assert.ok(updates.length >= 500);
  for (const update of updates) assert.equal(containsSubdocument(update), false);
});

test("a subdocument is found wherever it is, as Yjs would build it", () => {
  const doc = everyContentKind();
  const before = Y.encodeStateVector(doc);
  (doc.getMap("map").get("nested") as Y.Map<unknown>).set("sub", new Y.Doc());
  const update = Y.encodeStateAsUpdate(doc, before);
  assert.equal(containsSubdocument(update), true);
  assert.equal(containsSubdocument(Y.encodeStateAsUpdate(doc)), true);
  const [, crafted] = craftedUpdates().find(([name]) => name === "update: many subdocuments")!;
  assert.equal(containsSubdocument(crafted), true);
});

test("input it cannot read is left to Yjs (null), never called clean", () => {
  for (const bytes of [new Uint8Array([]), new Uint8Array([1, 1, 1, 1, 99]), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]) {
    assert.equal(containsSubdocument(bytes), null);
  }
});

test("the delete set read past the structs is what Yjs sends for it alone, for every content kind", () => {
  const doc = everyContentKind();
  const text = doc.getText("deletions");
  text.insert(0, "abcdefghijklmnopqrstuvwxyz".repeat(4));
  text.delete(3, 5);
  text.delete(40, 10);
  const state = Y.encodeStateAsUpdate(doc);
  // A client holding all the structs answers "what do you lack?" with no structs and its whole delete set.
  const deleteSetOnly = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc));
  assert.deepEqual(deleteSetOf(state), deleteSetOnly);
  assert.deepEqual(deleteSetOf(Y.encodeStateAsUpdate(new Y.Doc())), new Uint8Array([0, 0]));
  assert.equal(deleteSetOf(new Uint8Array([1, 1, 1, 1, 99])), null);
});
