// Content converted into many small Yjs updates (updateChunks.ts) must be exactly the content
// converted into one: each piece applies on its own, in order, without waiting in Yjs' pending
// queue, and the last leaves the same document. Run in-thread with tiny pieces, on a new
// document and as a diff against existing content (with deletions).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { runConversion, type ImportResult } from "./conversionTasks.ts";
import { documentSchema, documentToMarkdown } from "../../../lib/editor/documentFormats.ts";
import { EDITOR_FRAGMENT_NAME } from "../../../lib/editor/extensions.ts";

const encoder = new TextEncoder();

function importMarkdown(markdown: string, state: Uint8Array | null, chunkBytes?: number): ImportResult {
  return runConversion({ kind: "import", format: "markdown", body: encoder.encode(markdown), state, chunkBytes }) as ImportResult;
}

function markdownOf(doc: Y.Doc): string {
  return documentToMarkdown(yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(EDITOR_FRAGMENT_NAME), documentSchema()));
}

/** Applies `updates` one at a time to a doc holding `base`, checking nothing waits after each. */
function applyEach(base: Uint8Array | null, updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, base);
  for (const [index, update] of updates.entries()) {
    Y.applyUpdate(doc, update);
    assert.equal(doc.store.pendingStructs, null, `piece ${index} of ${updates.length} waited for a later one`);
    assert.equal(doc.store.pendingDs, null, `piece ${index}: deletions waited`);
  }
  return doc;
}

const ORIGINAL = [
  "# Plans",
  "Keep this **paragraph** as it is, with a [link](https://example.com) and `code`.",
  "- one\n- two\n  - nested",
  "> a quote to drop",
  "1. first\n2. second",
  "Closing words.",
].join("\n\n");

const REVISED = [
  "# Plans, revised",
  "Keep this **paragraph** as it is, with a [link](https://example.com) and `code`.",
  "A new paragraph with ~~struck~~ and *emphasised* words.",
  "- one\n- two and a half\n  - nested",
  "```\nconst x = 1;\n```",
  "1. first\n2. second",
  "---",
  "Closing words, changed.",
].join("\n\n");

test("a new document in pieces of ~64 bytes is the same document as in one piece", () => {
  const whole = importMarkdown(REVISED, null, Number.MAX_SAFE_INTEGER);
  const pieces = importMarkdown(REVISED, null, 64);
  assert.equal(whole.updates.length, 1);
  assert.ok(pieces.updates.length > 10, `${pieces.updates.length} pieces`);
  assert.equal(pieces.updateBytes, pieces.updates.reduce((sum, update) => sum + update.length, 0));
  const doc = applyEach(null, pieces.updates);
  assert.equal(markdownOf(doc), markdownOf(applyEach(null, whole.updates)));
  assert.equal(markdownOf(doc), REVISED);
  assert.equal(pieces.heading, "Plans, revised");
});

test("a diff against existing content, in pieces, keeps the unchanged paragraph's item and ends with the deletions", () => {
  const base = Y.mergeUpdates(importMarkdown(ORIGINAL, null).updates);
  const kept = (doc: Y.Doc) => (doc.getXmlFragment(EDITOR_FRAGMENT_NAME).get(1) as Y.XmlElement)._item!.id;
  const before = new Y.Doc();
  Y.applyUpdate(before, base);

  const diff = importMarkdown(REVISED, base, 64);
  assert.ok(diff.updates.length > 5);
  // Only the last piece deletes: until then the old content stands beside the new.
  const last = Y.decodeUpdate(diff.updates.at(-1)!);
  assert.ok(last.ds.clients.size > 0 && last.structs.length === 0, "the last piece is the deletions");
  for (const update of diff.updates.slice(0, -1)) assert.equal(Y.decodeUpdate(update).ds.clients.size, 0);

  const after = applyEach(base, diff.updates);
  assert.equal(markdownOf(after), REVISED);
  assert.ok(Y.compareIDs(kept(before), kept(after)), "the unchanged paragraph is the same Yjs item");
});

test("the same content again takes no update at all", () => {
  const base = Y.mergeUpdates(importMarkdown(ORIGINAL, null).updates);
  const again = importMarkdown(ORIGINAL, base);
  assert.deepEqual(again.updates, []);
  assert.equal(again.updateBytes, 0);
});
