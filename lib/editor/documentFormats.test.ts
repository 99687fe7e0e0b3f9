// Markdown → document → Markdown keeps every node and mark of the editor schema; HTML in is
// cut to the schema and HTML out is safe; unreadable input is a typed error, not a crash.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JSONContent } from "@tiptap/core";
import { MarkdownManager } from "@tiptap/markdown";
import { Marked } from "marked";
import { createEditorExtensions } from "./extensions.ts";
import {
  documentSchema,
  documentToHtml,
  documentToJson,
  documentToMarkdown,
  firstHeadingText,
  htmlToDocument,
  markdownToDocument,
} from "./documentFormats.ts";

/** One sample per node and mark of the schema (StarterKit without undo, safeLink, code blocks
 *  with languages, tables, task lists, highlight). */
const SAMPLES: Record<string, string> = {
  paragraph: "Just a paragraph.",
  heading: "# One\n\n## Two\n\n### Three",
  bold: "Some **bold** text.",
  italic: "Some *italic* text.",
  strike: "Some ~~struck~~ text.",
  code: "Some `inline code` text.",
  link: "A [link](https://example.com/a?b=c) and [mail](mailto:someone@example.com) and [relative](/docs/x).",
  underline: "Some ++underlined++ text.",
  bulletList: "- one\n- two\n  - nested",
  orderedList: "1. first\n2. second",
  orderedListStart: "3. third\n4. fourth",
  blockquote: "> quoted\n>\n> second paragraph",
  codeBlock: "```ts\nconst x: number = 1;\n```",
  horizontalRule: "above\n\n---\n\nbelow",
  hardBreak: "line one  \nline two",
  image: '![A chart](/api/documents/doc1/images/img1) and inline ![b](/api/documents/doc1/images/img2 "Title")',
  highlight: "Some ==highlighted== text.",
  codeBlockPlain: "```\nno language\n```",
  codeBlockPython: "```python\ndef f(x):\n    return x * 2\n```",
  codeBlockWithFence: "````md\n```js\nnested fence\n```\n````",
  table: "| Name | Role                        |\n| ---- | --------------------------- |\n| Ada  | **owner**                   |\n| Bob  | [site](https://example.com) |",
  tablePipes: "| a \\| b | `c \\| d` |\n| ------ | -------- |\n| x      | y        |",
  taskList: "- [ ] open task\n- [x] done task\n  - [ ] nested task",
  escapes: "Not \\*emphasis\\*, not \\_this\\_ and not \\`code\\`",
  // Text that would start a block at the beginning of a line stays text.
  blockMarkersAsText: [
    "1\\. not a list",
    "\\# not a heading",
    "\\- not an item",
    "\\+ not an item",
    "10\\) not a list",
    "line  \n\\- not an item after a hard break",
    "\\---",
    "\\===",
    "\\~\\~\\~ not a fence",
    "- 2\\. inside an item",
  ].join("\n\n"),
};

/** Node and mark names a JSON document uses. */
function typesIn(json: JSONContent, found = new Set<string>()): Set<string> {
  if (json.type) found.add(json.type);
  for (const mark of json.marks ?? []) found.add(mark.type);
  for (const child of json.content ?? []) typesIn(child, found);
  return found;
}

describe("document formats", () => {
  for (const [name, markdown] of Object.entries(SAMPLES)) {
    test(`Markdown round trip: ${name}`, () => {
      const document = markdownToDocument(markdown);
      const exported = documentToMarkdown(document);
      assert.equal(exported.trim(), markdown.trim());
      assert.deepEqual(documentToJson(markdownToDocument(exported)), documentToJson(document));
    });
  }

  test("the samples cover every node and mark of the schema", () => {
    const schema = documentSchema();
    const used = new Set<string>();
    for (const markdown of Object.values(SAMPLES)) typesIn(documentToJson(markdownToDocument(markdown)), used);
    // Markdown has no mention syntax: a mention is exported as "@Name" text (lib/editor/mentionNode.test.ts).
    const all = [...Object.keys(schema.nodes), ...Object.keys(schema.marks)].filter((type) => type !== "mention");
    assert.deepEqual(all.filter((type) => !used.has(type)), []);
  });

  test("everything at once survives a round trip through Markdown and through HTML", () => {
    const markdown = Object.values(SAMPLES).join("\n\n");
    const document = markdownToDocument(markdown);
    assert.deepEqual(documentToJson(markdownToDocument(documentToMarkdown(document))), documentToJson(document));
    assert.deepEqual(documentToJson(htmlToDocument(documentToHtml(document))), documentToJson(document));
  });

  test("a table without a header row keeps all its text: its first row becomes the header", () => {
    const cell = (type: string, text: string) => ({ type, content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
    const row = (type: string, ...texts: string[]) => ({ type: "tableRow", content: texts.map((text) => cell(type, text)) });
    const table = (...rows: JSONContent[]) => documentSchema().nodeFromJSON({ type: "doc", content: [{ type: "table", content: rows }] });
    const exported = documentToMarkdown(table(row("tableCell", "a", "b"), row("tableCell", "c", "d")));
    assert.equal(exported.trim(), "| a   | b   |\n| --- | --- |\n| c   | d   |");
    assert.deepEqual(documentToJson(markdownToDocument(exported)), documentToJson(table(row("tableHeader", "a", "b"), row("tableCell", "c", "d"))));
  });

  test("line breaks and paragraphs in a table cell come back as line breaks, not as the text <br>", () => {
    const paragraph = (...content: JSONContent[]) => ({ type: "paragraph", content });
    const text = (value: string) => ({ type: "text", text: value });
    const cell = (type: string, ...content: JSONContent[]) => ({ type, content });
    const document = documentSchema().nodeFromJSON({
      type: "doc",
      content: [{
        type: "table",
        content: [
          { type: "tableRow", content: [cell("tableHeader", paragraph(text("h"))), cell("tableHeader", paragraph(text("i")))] },
          { type: "tableRow", content: [cell("tableCell", paragraph(text("a"), { type: "hardBreak" }, text("b"))), cell("tableCell", paragraph(text("p1")), paragraph(text("p2")))] },
        ],
      }],
    });
    const exported = documentToMarkdown(document);
    assert.match(exported, /\| a<br>b \| p1<br>p2 \|/);
    const cells = documentToJson(markdownToDocument(exported)).content![0]!.content![1]!.content!;
    const lineBroken = (first: string, second: string) => [paragraph(text(first), { type: "hardBreak" }, text(second))];
    assert.deepEqual(JSON.parse(JSON.stringify(cells.map((c) => c.content))), [lineBroken("a", "b"), lineBroken("p1", "p2")]);
    // Elsewhere, HTML typed as text stays text, and raw HTML in Markdown other than <br> too.
    assert.deepEqual(documentToJson(markdownToDocument("x<br/>y <b>z</b>")).content, [paragraph(text("x"), { type: "hardBreak" }, text("y <b>z</b>"))]);
  });

  test("HTML in: tables, task lists, highlight, code languages; headings below H3 become paragraphs", () => {
    const document = htmlToDocument(
      '<table><tr><th>h</th></tr><tr><td>c</td></tr></table><ul data-type="taskList"><li data-type="taskItem" data-checked="true"><p>t</p></li></ul>' +
        '<pre><code class="language-js">1</code></pre><p><mark>m</mark></p><h4>four</h4>',
    );
    assert.equal(
      documentToMarkdown(document),
      "| h   |\n| --- |\n| c   |\n\n- [x] t\n\n```js\n1\n```\n\n==m==\n\nfour",
    );
  });

  test("an empty text is an empty document (one empty paragraph), exported as nothing", () => {
    const document = markdownToDocument("");
    assert.deepEqual(documentToJson(document), { type: "doc", content: [{ type: "paragraph" }] });
    assert.equal(documentToMarkdown(document), "");
  });

  test("HTML out renders only the schema's elements, and links only with safe hrefs and our target/rel", () => {
    const document = documentSchema().nodeFromJSON({
      type: "doc",
      content: [{
        type: "paragraph",
        content: [
          { type: "text", text: "<script>alert(1)</script>" },
          { type: "text", text: "bad", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] },
          { type: "text", text: "good", marks: [{ type: "link", attrs: { href: "https://example.com" } }] },
        ],
      }],
    });
    const html = documentToHtml(document);
    assert.equal(
      html,
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;<a>bad</a><a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">good</a></p>',
    );
    assert.doesNotMatch(documentToMarkdown(document), /javascript:/, "an unsafe link is exported as its text");
  });

  test("HTML in keeps what the schema has and drops scripts, handlers, images and unsafe links", () => {
    const document = htmlToDocument(
      '<h2 onclick="x()">Title</h2><script>alert(1)</script><p>a <b>b</b> <a href="javascript:alert(1)">c</a> <img src=x onerror="alert(1)"></p>',
    );
    assert.deepEqual(JSON.parse(JSON.stringify(documentToJson(document))), {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Title" }] },
        { type: "paragraph", content: [{ type: "text", text: "a " }, { type: "text", text: "b", marks: [{ type: "bold" }] }, { type: "text", text: " c" }] },
      ],
    });
  });

  test("Markdown in: raw HTML stays text, and unsafe link targets lose the link but keep the text", () => {
    const document = markdownToDocument("<img src=x onerror=alert(1)> [click](javascript:alert(1)) [d](data:text/html,x)");
    const json = JSON.stringify(documentToJson(document));
    assert.doesNotMatch(json, /"type":"link"/);
    assert.match(json, /click/);
    assert.match(documentToHtml(document), /^<p>&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  test("ordered and task lists read exactly as with @tiptap/markdown's own (unbounded) tokenizers", () => {
    const original = new MarkdownManager({ marked: new Marked() as never, extensions: createEditorExtensions() });
    const samples = [
      "1. one\n2. two\n\nafter",
      "1. loose\n\n2. items\n\n   continued\n\n3. three\nlazy line\n\nparagraph",
      "3) start\n4) next\n   - nested\n   - bullets\n\n     more\n\n# heading",
      "I. roman\nII. two\n\na. letters\nb. more",
      "text\n\n1. a\n\n\n\n2. b\n\n  indented\n\nend",
      "1. only\n# interrupts\n2. again",
      "- [ ] task\n- [x] done\n\nafter",
      "- [ ] a\n  - [x] nested\n    more\n\n  indented\n\n- [ ] b\n- plain\n\n# heading",
      "\n\n* [X] star\n+ [ ] plus\n\n\n\n- [ ] after blank lines\ntext",
      "- [ ]\n- [x]no space\n\n- [ ] ok",
    ];
    for (const markdown of samples) {
      const expected = documentSchema().nodeFromJSON(original.parse(markdown)).toJSON();
      assert.deepEqual(JSON.parse(JSON.stringify(documentToJson(markdownToDocument(markdown)))), JSON.parse(JSON.stringify(expected)), markdown);
    }
  });

  test("parsing is linear: 4 times the Markdown takes about 4 times as long, not 16", () => {
    const sample = (size: number) => {
      let markdown = "";
      for (let i = 0; markdown.length < size; i++) {
        markdown +=
          `## Section ${i}\n\nSome **bold** ==marked== text, a [link](https://example.com/${i}).\n\n- item ${i}\n- item\n\n1. one\n2. two\n\n` +
          `- [ ] task ${i}\n- [x] done\n\n| a | b |\n| - | - |\n| ${i} | \`x\` |\n\n\`\`\`js\nlet i = ${i};\n\`\`\`\n\n`;
      }
      return markdown;
    };
    // The faster of two runs each, so one stall of a busy machine does not decide the ratio.
    const parseMs = (markdown: string) => Math.min(...[0, 1].map(() => {
      const started = performance.now();
      assert.ok(markdownToDocument(markdown).childCount > 1000);
      return performance.now() - started;
    }));
    const quarterMs = parseMs(sample(250_000));
    const fullMs = parseMs(sample(1_000_000));
    // Quadratic before (24 s for 1 MB; minutes with task lists and tables); ~2 s idle now.
    assert.ok(fullMs / quarterMs < 8, `250 KB in ${Math.round(quarterMs)} ms, 1 MB in ${Math.round(fullMs)} ms`);
  });

  test("the first heading gives a title", () => {
    assert.equal(firstHeadingText(markdownToDocument("intro\n\n## The  *title*\n\n# Later")), "The title");
    assert.equal(firstHeadingText(markdownToDocument("no heading")), null);
  });
});
