// Documents out and in as Markdown, HTML and ProseMirror JSON, always through the one editor
// schema (createEditorExtensions), so what is imported is exactly what the editor can hold and
// what is exported is exactly what it shows. The converters are Tiptap's own: @tiptap/markdown
// (marked underneath), @tiptap/html and @tiptap/static-renderer; we only add what they leave
// to us (link safety, an empty document, readable errors, two fixes to the Markdown side).
//
// Server-side only for now: HTML is parsed through @tiptap/html's server entry, with happy-dom
// (script evaluation and resource loading off).
import { flattenExtensions, getExtensionField, type Extensions, type JSONContent, type Node, type NodeConfig } from "@tiptap/core";
import { MarkdownManager } from "@tiptap/markdown";
import { Marked } from "marked";
import { generateJSON } from "@tiptap/html/server";
import { renderToHTMLString } from "@tiptap/static-renderer/pm/html-string";
import type { Node as ProseMirrorNode, Schema } from "@tiptap/pm/model";
import { createEditorExtensions, createEditorSchema } from "./extensions.ts";
import { isSafeHref } from "./safeLink.ts";
import { paragraphKeepingImages } from "./imageParagraph.ts";

/** Formats a document can be read in; JSON is ProseMirror's own document JSON. */
export const DOCUMENT_FORMATS = ["markdown", "html", "json"] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** Formats a document can be written from (JSON is not accepted: it would bypass the parsers). */
export const INPUT_FORMATS = ["markdown", "html"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Input that cannot become a document of our schema. Expected, so callers answer 400 with it. */
export class UnreadableContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadableContentError";
  }
}

/** Built once: the schema and the Markdown manager only read the extension list. */
let shared: { extensions: Extensions; schema: Schema; markdown: MarkdownManager } | null = null;

function converters(): NonNullable<typeof shared> {
  if (!shared) {
    const extensions = createEditorExtensions();
    // A marked of our own: MarkdownManager registers its tokenizers on the marked it is given,
    // by default the module-wide one, where every other manager would add its own too.
    const marked = new Marked() as unknown as NonNullable<ConstructorParameters<typeof MarkdownManager>[0]>["marked"];
    const markdown = new MarkdownManager({ marked, extensions: markdownExtensions(extensions) });
    shared = { extensions, schema: createEditorSchema(), markdown };
  }
  return shared;
}

/** The editor's extensions with four replaced for Markdown only (the schema is the same:
 *  same names, same specs): see escapingParagraph, htmlLineBreaks and boundedList. */
function markdownExtensions(extensions: Extensions): Extensions {
  const all = flattenExtensions(extensions);
  const find = (name: string): Node => {
    const found = all.find((extension) => extension.name === name);
    if (!found) throw new Error(`the editor schema has no ${name}`);
    return found as Node;
  };
  return [
    ...extensions
      .filter((extension) => extension.name !== "taskList")
      .map((extension) => (extension.name === "starterKit" ? extension.configure({ paragraph: false, orderedList: false, hardBreak: false }) : extension)),
    escapingParagraph(paragraphKeepingImages(find("paragraph"))),
    htmlLineBreaks(find("hardBreak")),
    boundedList(find("orderedList"), ORDERED_ITEM),
    boundedList(find("taskList"), TASK_ITEM),
  ];
}

/** The first line of an ordered list item as @tiptap/extension-list reads one (digits, roman
 *  numerals or one or two letters, then "." or ")"; white space must follow). */
const ORDERED_ITEM = /(?:\d+|[ivxlcdmIVXLCDM]+|[a-zA-Z]{1,2})[.)]/;
/** The first line of a task item: a bullet, then [ ], [x] or [X]; white space must follow. */
const TASK_ITEM = /[-+*][^\S\n]+\[[ xX]\]/;

/**
 * A list node of the schema, with its Markdown tokenizer bounded. marked asks a block
 * tokenizer at every block of the text, and extension-list 3.31.3's (ordered and task lists)
 * split all the rest of the text into lines each time, so parsing was quadratic: 1 MB of
 * Markdown took 24 s, all of it blocking the event loop. This one answers "no list here" from
 * the first line, and hands the original tokenizer only the text up to where the list must
 * have ended (a blank line followed by a line that is neither indented nor an item:
 * parseIndentedBlocks stops there), so it reads the same list as before.
 */
function boundedList(list: Node, item: RegExp): Node {
  const itemStart = new RegExp(`^(?:[^\\S\\n]*\\n)*[^\\S\\n]*${item.source}[^\\S\\n]`);
  const listEnd = new RegExp(`\\n[ \\t]*\\n(?=\\S)(?!${item.source}\\s)`);
  const tokenizer = getExtensionField<NonNullable<NodeConfig["markdownTokenizer"]>>(list, "markdownTokenizer");
  return list.extend({
    markdownTokenizer: {
      ...tokenizer,
      tokenize(src, tokens, lexer) {
        if (!itemStart.test(src)) return undefined;
        const end = src.search(listEnd);
        return tokenizer.tokenize(end < 0 ? src : src.slice(0, end + 1), tokens, lexer);
      },
    },
  });
}

/** `<br>`, `<br/>` or `<br />`, as GFM writes a line break where a newline cannot go. */
const HTML_LINE_BREAK = /^<br[ \t]*\/?>/i;

/**
 * The schema's hard break, also read from an inline `<br>`. A table cell must stay on one line
 * in GFM, so extension-table writes a cell's line breaks and paragraphs as `<br>`; on the
 * server @tiptap/markdown keeps raw HTML as literal text, so they came back as the characters
 * "<br>". Other raw HTML still stays text.
 */
function htmlLineBreaks(hardBreak: Node): Node {
  return hardBreak.extend({
    markdownTokenizer: {
      name: "htmlLineBreak",
      level: "inline",
      start: (src: string) => src.search(/<br[ \t]*\/?>/i),
      // Our hard break's own token type ("br"), so its parseMarkdown reads it.
      tokenize: (src: string) => {
        const match = HTML_LINE_BREAK.exec(src);
        return match ? { type: "br", raw: match[0] } : undefined;
      },
    },
  });
}

/** A line that Markdown would read as the start of a block (heading, list item, quote, fence,
 *  rule or setext underline), up to the character to escape. */
const BLOCK_START = /^( {0,3})(#{1,6}(?=[ \t]|$)|[-+*](?=[ \t]|$)|\d{1,9}(?=[.)](?:[ \t]|$))|>|`{3,}|~{3,}|=+[ \t]*$|(?:[-*_][ \t]*){3,}$)/;

/**
 * The schema's paragraph, rendering to Markdown with a backslash before anything at the start
 * of one of its lines that Markdown would read as a block. @tiptap/markdown 3.31.3 escapes
 * inline syntax but not these, so a paragraph reading "1. done" came back as a list, and a
 * script doing GET, edit, PUT would restructure the document. Only the Markdown manager
 * uses it; the editor's schema is unchanged.
 */
function escapingParagraph(paragraph: Node): Node {
  const render = getExtensionField<NonNullable<NodeConfig["renderMarkdown"]>>(paragraph, "renderMarkdown");
  return paragraph.extend({
    renderMarkdown(node, helpers, context) {
      return render(node, helpers, context)
        .split("\n")
        .map((line) => line.replace(BLOCK_START, (_match, indent: string, marker: string) => escapeBlockMarker(indent, marker)))
        .join("\n");
    },
  });
}

/** `marker` made literal: a backslash before its first punctuation character (for "1." after the digits). */
function escapeBlockMarker(indent: string, marker: string): string {
  const digits = /^\d+/.exec(marker);
  if (digits) return `${indent}${marker}\\`;
  return `${indent}\\${marker}`;
}

/** The schema documents are converted with (built once). */
export function documentSchema(): Schema {
  return converters().schema;
}

/** The document a Markdown text describes. Throws UnreadableContentError. */
export function markdownToDocument(markdown: string): ProseMirrorNode {
  let json: JSONContent;
  try {
    json = converters().markdown.parse(markdown);
  } catch (error) {
    throw new UnreadableContentError(`Markdown could not be read: ${(error as Error).message}`);
  }
  return toDocument(json, "Markdown");
}

/** The document an HTML text describes; what the schema has no place for (scripts, images,
 *  tables, unsafe links) is dropped by the schema's parse rules. Throws UnreadableContentError. */
export function htmlToDocument(html: string): ProseMirrorNode {
  let json: JSONContent;
  try {
    json = generateJSON(html, converters().extensions);
  } catch (error) {
    throw new UnreadableContentError(`HTML could not be read: ${(error as Error).message}`);
  }
  return toDocument(json, "HTML");
}

/** Parses `text` in `format`. */
export function parseDocument(format: InputFormat, text: string): ProseMirrorNode {
  return format === "markdown" ? markdownToDocument(text) : htmlToDocument(text);
}

/** The document as Markdown (CommonMark plus ~~strike~~; unsafe links as plain text). */
export function documentToMarkdown(document: ProseMirrorNode): string {
  return converters().markdown.serialize(withoutUnsafeLinks(document.toJSON()));
}

/** The document as an HTML fragment. Safe to serve: only the schema's own elements and
 *  attributes are rendered, and the link mark renders only safe hrefs with our target/rel. */
export function documentToHtml(document: ProseMirrorNode): string {
  // The static renderer runs each extension's renderHTML into a string without a DOM: the
  // same elements and attributes as @tiptap/html's happy-dom serialiser (void elements as
  // <br/>), escaped, and 5-7 times faster (a 311 KB document in ~100 ms instead of ~700 ms).
  return renderToHTMLString({ content: document, extensions: converters().extensions });
}

/** The document as ProseMirror JSON. */
export function documentToJson(document: ProseMirrorNode): JSONContent {
  return document.toJSON() as JSONContent;
}

/** Renders `document` in `format` as the text of a response body. */
export function formatDocument(format: DocumentFormat, document: ProseMirrorNode): string {
  switch (format) {
    case "markdown":
      return documentToMarkdown(document);
    case "html":
      return documentToHtml(document);
    case "json":
      return JSON.stringify(documentToJson(document));
  }
}

/** The text of the document's first heading (for a title), or null. */
export function firstHeadingText(document: ProseMirrorNode): string | null {
  let text: string | null = null;
  document.descendants((node) => {
    if (text !== null) return false;
    if (node.type.name === "heading") {
      text = node.textContent.replace(/\s+/g, " ").trim() || null;
      return false;
    }
    return true;
  });
  return text;
}

/** JSON from a parser → a valid document of our schema. Marked's link tokens are not checked
 *  against the link mark's allowed schemes (only HTML parsing and editor commands are), so
 *  unsafe hrefs are removed here, before anything reaches the shared Y.Doc. */
function toDocument(json: JSONContent, what: string): ProseMirrorNode {
  const { schema } = converters();
  try {
    let document = schema.nodeFromJSON(withoutUnsafeLinks(json));
    // An empty text parses to a doc without blocks, which the schema (block+) refuses: give
    // it the empty paragraph an empty editor has.
    if (document.childCount === 0) document = schema.topNodeType.createAndFill()!;
    document.check();
    return document;
  } catch (error) {
    throw new UnreadableContentError(`${what} does not fit the document schema: ${(error as Error).message}`);
  }
}

/** A copy of `json` without link marks whose href is not safe (the text stays). */
function withoutUnsafeLinks(json: JSONContent): JSONContent {
  const copy: JSONContent = { ...json };
  if (json.marks) copy.marks = json.marks.filter((mark) => mark.type !== "link" || isSafeHref(mark.attrs?.href));
  if (copy.marks?.length === 0) delete copy.marks;
  if (json.content) copy.content = json.content.map(withoutUnsafeLinks);
  return copy;
}
