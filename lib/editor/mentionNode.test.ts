// The mention node in the shared schema: HTML keeps who was mentioned, Markdown and plain text
// say "@Name", and a label cannot smuggle markup or line breaks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { documentToHtml, documentToMarkdown, parseDocument } from "./documentFormats.ts";
import * as Y from "yjs";
import { plainTextOf } from "./plainText.ts";

const HTML = '<p>Hi <span data-type="mention" data-id="user-1" data-label="Bob Builder">@Bob Builder</span>, look</p>';

test("a mention survives HTML in and out, and reads as @Name in Markdown", () => {
  const document = parseDocument("html", HTML);
  const node = document.firstChild?.child(1);
  assert.equal(node?.type.name, "mention");
  assert.deepEqual({ ...node?.attrs }, { id: "user-1", label: "Bob Builder" });
  assert.equal(documentToHtml(parseDocument("html", documentToHtml(document))), documentToHtml(document));
  assert.match(documentToHtml(document), /<span data-type="mention" class="mention" data-id="user-1" data-label="Bob Builder">@Bob Builder<\/span>/);
  assert.equal(documentToMarkdown(document).trim(), "Hi @Bob Builder, look");
  const paragraph = new Y.XmlElement("paragraph");
  const mention = new Y.XmlElement("mention");
  const fragment = new Y.Doc().getXmlFragment("default");
  fragment.insert(0, [paragraph]);
  mention.setAttribute("id", "user-1");
  mention.setAttribute("label", "Bob Builder");
  paragraph.insert(0, [new Y.XmlText("Hi "), mention, new Y.XmlText(", look")]);
  assert.equal(plainTextOf(fragment), "Hi @Bob Builder, look");
});

test("a label with markup or line breaks is written as text on one line", () => {
  const document = parseDocument("html", '<p><span data-type="mention" data-id="x" data-label="<b>Eve</b>\nX">@Eve</span></p>');
  const html = documentToHtml(document);
  assert.ok(!html.includes("<b>"), html);
  assert.match(html, /@&lt;b&gt;Eve&lt;\/b&gt; X/);
});
