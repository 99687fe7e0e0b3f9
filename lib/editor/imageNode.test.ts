// The image node through Markdown and HTML (lib/editor/documentFormats.ts): our own image URLs
// round trip with their alt text and title; any other src never becomes an image, on the way
// in or out, whatever a modified client put in the shared document.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JSONContent } from "@tiptap/core";
import { documentSchema, documentToHtml, documentToJson, documentToMarkdown, htmlToDocument, markdownToDocument } from "./documentFormats.ts";
import { imageUrl, isOwnImageUrl, parseImageUrl } from "../images/imageUrl.ts";

const SRC = imageUrl("Doc_1-x", "Img_2-y");

/** A document of one paragraph holding `content`. */
function paragraphDocument(...content: JSONContent[]) {
  return documentSchema().nodeFromJSON({ type: "doc", content: [{ type: "paragraph", content }] });
}

function image(attrs: Record<string, unknown>): JSONContent {
  return { type: "image", attrs: { src: SRC, alt: null, title: null, ...attrs } };
}

/** The image nodes' attributes in a document. */
function imagesIn(json: JSONContent): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: JSONContent) => {
    if (node.type === "image") found.push({ ...node.attrs });
    node.content?.forEach(walk);
  };
  walk(json);
  return found;
}

describe("image URLs", () => {
  test("only /api/documents/<id>/images/<id> on our origin, exactly", () => {
    assert.deepEqual(parseImageUrl(SRC), { documentId: "Doc_1-x", imageId: "Img_2-y" });
    for (const src of [
      "https://evil.example/api/documents/a/images/b",
      "//evil.example/api/documents/a/images/b",
      "/api/documents/a/images/b?x=1",
      "/api/documents/a/images/b/",
      "/api/documents/a/../b/images/c",
      "/api/documents/a/images/b#x",
      " /api/documents/a/images/b",
      "data:image/png;base64,AAAA",
      "javascript:alert(1)",
      "",
      null,
    ]) {
      assert.equal(isOwnImageUrl(src), false, String(src));
    }
  });
});

describe("image node formats", () => {
  test("Markdown round trip: alone in a paragraph, beside text, with a title, in a list", () => {
    for (const markdown of [
      `![A chart of sales](${SRC})`,
      `Before ![inline](${SRC}) after`,
      `# Heading\n\n![t](${SRC} "The title")\n\nText`,
      `- ![in a list](${SRC})\n- two`,
      `![](${SRC})`,
    ]) {
      const document = markdownToDocument(markdown);
      assert.equal(imagesIn(documentToJson(document)).length, 1, markdown);
      assert.equal(documentToMarkdown(document).trim(), markdown);
      assert.deepEqual(documentToJson(markdownToDocument(documentToMarkdown(document))), documentToJson(document));
    }
  });

  test("alt text and titles with Markdown's own characters survive a Markdown round trip", () => {
    const alts = ["a ] b [c]", "x](javascript:alert(1))", "*stars* _under_ `tick` <b> &amp;", 'quote "q"', "two\nlines"];
    for (const alt of alts) {
      const document = paragraphDocument(image({ alt, title: 'say "hi" \\ bye' }));
      const back = imagesIn(documentToJson(markdownToDocument(documentToMarkdown(document))));
      assert.deepEqual(back, [{ src: SRC, alt: alt.replace(/\s+/g, " "), title: 'say "hi" \\ bye' }], alt);
    }
    // A backslash just before a bracket or at the end would escape Markdown's own brackets: dropped.
    const edge = imagesIn(documentToJson(markdownToDocument(documentToMarkdown(paragraphDocument(image({ alt: "a\\[b\\" }))))));
    assert.deepEqual(edge, [{ src: SRC, alt: "a[b", title: null }]);
  });

  test("HTML round trip keeps src, alt and title, and nothing else", () => {
    const document = htmlToDocument(`<p>x<img src="${SRC}" alt="An &quot;alt&quot;" title="T" width="9" class="c" onerror="alert(1)" style="x">y</p><img src="${SRC}">`);
    assert.deepEqual(imagesIn(documentToJson(document)), [
      { src: SRC, alt: 'An "alt"', title: "T" },
      { src: SRC, alt: null, title: null },
    ]);
    const html = documentToHtml(document);
    assert.equal(html, `<p>x<img src="${SRC}" alt="An &quot;alt&quot;" title="T"/>y</p><p><img src="${SRC}"/></p>`);
    assert.deepEqual(documentToJson(htmlToDocument(html)), documentToJson(document));
  });

  test("a foreign or data: src never becomes an image: HTML drops it, Markdown keeps the alt text", () => {
    const fromHtml = htmlToDocument('<p>a<img src="https://tracker.example/p.gif" alt="x">b<img src="data:image/png;base64,AAAA">c</p>');
    assert.deepEqual(imagesIn(documentToJson(fromHtml)), []);
    const fromMarkdown = markdownToDocument("![tracking pixel](https://tracker.example/p.gif) and ![](data:image/png;base64,AAAA)");
    assert.deepEqual(imagesIn(documentToJson(fromMarkdown)), []);
    assert.equal(documentToMarkdown(fromMarkdown).trim(), "tracking pixel and");
  });

  test("a node that holds a foreign src anyway (a modified client) is rendered without it", () => {
    const document = paragraphDocument(image({ src: "https://evil.example/x.png", alt: "shown as text" }), image({ src: "javascript:alert(1)" }));
    assert.equal(documentToHtml(document), '<p><img alt="shown as text"/><img/></p>');
    assert.equal(documentToMarkdown(document).trim(), "shown as text");
  });
});
