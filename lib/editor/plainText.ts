// The plain text of an editor document, read straight off its Y.XmlFragment (for search and
// snippets: server/documents/DocumentProjection.ts). It walks the Yjs XML tree generically,
// with no knowledge of the schema's node list, so tables, task lists, code blocks and any
// node added later are covered without a change here.
import * as Y from "yjs";
import { MENTION_NODE, mentionLabel } from "./mentionNode.ts";

/**
 * The text of `fragment`, one line per text block, blocks in document order. A text block is
 * any element holding text directly (a paragraph, a heading, a code block, a table cell's
 * paragraph); an element holding only elements (a list, a table, a quote) contributes its
 * children's lines. Empty blocks give no line. Formatting, attributes and embeds are left out;
 * an inline element without text inside a block (a hard break, an inline image) becomes a space,
 * and a mention reads "@Name".
 */
export function plainTextOf(fragment: Y.XmlFragment): string {
  const lines: string[] = [];
  collectBlocks(fragment, lines);
  return lines.join("\n");
}

function collectBlocks(parent: Y.XmlFragment | Y.XmlElement, lines: string[]): void {
  if (parent.toArray().some((child) => child instanceof Y.XmlText)) {
    const line = inlineText(parent);
    if (line.trim() !== "") lines.push(line);
    return;
  }
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlElement) collectBlocks(child, lines);
  }
}

/** The text of a block's inline content: its text nodes, and its inline elements' text. */
function inlineText(parent: Y.XmlFragment | Y.XmlElement): string {
  let text = "";
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) text += unformattedText(child);
    else if (child instanceof Y.XmlElement && child.nodeName === MENTION_NODE) text += `@${mentionLabel(child.getAttribute("label"))}`;
    else if (child instanceof Y.XmlElement) text += inlineText(child) || " ";
  }
  return text;
}

/** Y.XmlText's own toString renders its formatting as tags; Y.Text's gives just the characters. */
function unformattedText(text: Y.XmlText): string {
  return Y.Text.prototype.toString.call(text);
}
