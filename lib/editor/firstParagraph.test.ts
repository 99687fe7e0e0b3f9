// The first paragraph of a document (firstParagraph.ts): in Yjs before anyone types, the same
// struct whoever adds it, so two people opening a new document at once get one paragraph.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { EDITOR_FRAGMENT_NAME } from "./extensions.ts";
import { ensureFirstParagraph, FIRST_PARAGRAPH_ORIGIN } from "./firstParagraph.ts";

const blocks = (doc: Y.Doc) => doc.getXmlFragment(EDITOR_FRAGMENT_NAME).toArray().map((node) => (node as Y.XmlElement).nodeName);

test("an empty document gets one empty paragraph, under its own origin", () => {
  const doc = new Y.Doc();
  const origins: unknown[] = [];
  doc.on("afterTransaction", (transaction: Y.Transaction) => {
    if (transaction.changed.size > 0) origins.push(transaction.origin);
  });
  assert.equal(ensureFirstParagraph(doc), true);
  assert.deepEqual(blocks(doc), ["paragraph"]);
  assert.equal(doc.getXmlFragment(EDITOR_FRAGMENT_NAME).toString(), "<paragraph></paragraph>");
  assert.deepEqual(origins, [FIRST_PARAGRAPH_ORIGIN]);
  assert.equal(ensureFirstParagraph(doc), false, "once is enough");
  assert.deepEqual(blocks(doc), ["paragraph"]);
});

test("two people adding it at once end up with one paragraph", () => {
  const ada = new Y.Doc();
  const bob = new Y.Doc();
  ensureFirstParagraph(ada);
  ensureFirstParagraph(bob);
  Y.applyUpdate(ada, Y.encodeStateAsUpdate(bob));
  Y.applyUpdate(bob, Y.encodeStateAsUpdate(ada));
  assert.deepEqual(blocks(ada), ["paragraph"]);
  assert.deepEqual(blocks(bob), ["paragraph"]);
});

test("a document with content is left alone", () => {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement("heading");
  doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph]);
  assert.equal(ensureFirstParagraph(doc), false);
  assert.deepEqual(blocks(doc), ["heading"]);
});

test("a document whose first paragraph was deleted since gets a new one", () => {
  const doc = new Y.Doc();
  ensureFirstParagraph(doc);
  doc.getXmlFragment(EDITOR_FRAGMENT_NAME).delete(0, 1);
  assert.deepEqual(blocks(doc), []);
  assert.equal(ensureFirstParagraph(doc), true);
  assert.deepEqual(blocks(doc), ["paragraph"]);
});
