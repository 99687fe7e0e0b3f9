// Link marks written straight into the Y.Doc (by any editor, or an edit-link guest) must not
// choose how they render: the schema keeps only `href`, renders our own target and rel, and
// never renders a script-capable href. Checked on the schema both browser and server use.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as Y from "yjs";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import type { DOMOutputSpec, Mark } from "@tiptap/pm/model";
import { createEditorSchema, EDITOR_FRAGMENT_NAME } from "./extensions.ts";

const schema = createEditorSchema();
const HOSTILE_ATTRS = { href: "https://x.example", class: "dialog-backdrop", target: "_self", rel: "opener", title: "t" };

function linkMark(attrs: Record<string, unknown>): Mark {
  return schema.markFromJSON({ type: "link", attrs });
}

/** The attributes of the <a> the schema renders for `mark` (toDOM needs no DOM). */
function renderedAttrs(mark: Mark): Record<string, unknown> {
  const spec = schema.marks.link.spec.toDOM!(mark, true) as DOMOutputSpec;
  assert.ok(Array.isArray(spec), "link renders as an array spec");
  assert.equal(spec[0], "a");
  const attrs = spec[1];
  return attrs && typeof attrs === "object" && !Array.isArray(attrs) ? (attrs as Record<string, unknown>) : {};
}

describe("link marks", () => {
  test("keep only href from their data", () => {
    assert.deepEqual({ ...linkMark(HOSTILE_ATTRS).attrs }, { href: "https://x.example" });
  });

  test("render target and rel fixed by us and no class", () => {
    assert.deepEqual(renderedAttrs(linkMark(HOSTILE_ATTRS)), {
      href: "https://x.example",
      target: "_blank",
      rel: "noopener noreferrer nofollow",
    });
  });

  test("arriving through Yjs formatting attributes drop everything but href", () => {
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment(EDITOR_FRAGMENT_NAME);
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    fragment.insert(0, [paragraph]);
    text.insert(0, "click", { link: HOSTILE_ATTRS });
    const doc = yXmlFragmentToProseMirrorRootNode(fragment, schema);
    const marks = doc.firstChild!.firstChild!.marks;
    assert.equal(marks.length, 1);
    assert.deepEqual({ ...marks[0]!.attrs }, { href: "https://x.example" });
    assert.deepEqual(Object.keys(renderedAttrs(marks[0]!)).sort(), ["href", "rel", "target"]);
    ydoc.destroy();
  });

  for (const href of ["https://x.example/a?b#c", "http://x.example", "mailto:someone@x.example", "/d/abc", "#section", "notes/page", "?q=1", "//x.example/path"]) {
    test(`render the allowed href ${href}`, () => {
      assert.equal(renderedAttrs(linkMark({ href })).href, href);
    });
  }

  for (const href of [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "\u0001javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "http://[invalid",
  ]) {
    test(`render no href for ${JSON.stringify(href)}`, () => {
      assert.equal(renderedAttrs(linkMark({ href })).href, undefined);
    });
  }
});
