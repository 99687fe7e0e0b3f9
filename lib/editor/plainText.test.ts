// plainTextOf reads any editor document's text, one line per text block, without knowing the
// schema: what the editor writes (through y-tiptap, from Markdown), and node types the schema
// does not have (a table, a task list, an unknown future node) written straight into the Y.Doc.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Y from "yjs";
import { prosemirrorToYXmlFragment } from "@tiptap/y-tiptap";
import { markdownToDocument } from "./documentFormats.ts";
import { EDITOR_FRAGMENT_NAME } from "./extensions.ts";
import { plainTextOf } from "./plainText.ts";

/** An element named `name` with `children` (elements, or strings as text nodes). */
function element(name: string, ...children: (Y.XmlElement | string)[]): Y.XmlElement {
  const node = new Y.XmlElement(name);
  node.insert(0, children.map((child) => (typeof child === "string" ? new Y.XmlText(child) : child)));
  return node;
}

function fragmentWith(...blocks: Y.XmlElement[]): Y.XmlFragment {
  const fragment = new Y.Doc().getXmlFragment(EDITOR_FRAGMENT_NAME);
  fragment.insert(0, blocks);
  return fragment;
}

test("blocks written by the editor: one line each, formatting and empty paragraphs left out", () => {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(EDITOR_FRAGMENT_NAME);
  const markdown = "# Plan\n\nSome **bold** and *italic* [link](https://x.example).\n\n- one\n- two\n  - nested\n\n> quoted\n\n```\ncode line 1\ncode line 2\n```\n";
  prosemirrorToYXmlFragment(markdownToDocument(markdown), fragment);
  assert.equal(
    plainTextOf(fragment),
    ["Plan", "Some bold and italic link.", "one", "two", "nested", "quoted", "code line 1\ncode line 2"].join("\n"),
  );
});

test("nodes the walker has never heard of: tables, task lists, future nodes, inline atoms", () => {
  const fragment = fragmentWith(
    element("table",
      element("tableRow", element("tableHeader", element("paragraph", "Name")), element("tableHeader", element("paragraph", "Role"))),
      element("tableRow", element("tableCell", element("paragraph", "Ada")), element("tableCell", element("paragraph", "Engineer"))),
    ),
    element("taskList", element("taskItem", element("paragraph", "Buy milk")), element("taskItem", element("paragraph", "Ship it"))),
    element("someFutureBlock", element("someFutureInner", "deep text")),
    element("paragraph", "before", element("hardBreak"), "after"),
    element("paragraph"),
    element("horizontalRule"),
  );
  assert.equal(plainTextOf(fragment), ["Name", "Role", "Ada", "Engineer", "Buy milk", "Ship it", "deep text", "before after"].join("\n"));
});

test("formatting and deleted text are not part of the text", () => {
  const paragraph = element("paragraph", "hello world");
  const fragment = fragmentWith(paragraph);
  const text = paragraph.get(0) as Y.XmlText;
  text.format(0, 5, { bold: true });
  text.delete(5, 6);
  text.insert(5, ", there");
  assert.equal(plainTextOf(fragment), "hello, there");
});

test("an empty document has no text", () => {
  assert.equal(plainTextOf(new Y.Doc().getXmlFragment(EDITOR_FRAGMENT_NAME)), "");
});
