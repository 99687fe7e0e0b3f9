// Markdown reading of a paragraph that holds nothing but an image (`![alt](src)` on its own
// line, the usual way to put an image in Markdown). Tiptap's paragraph 3.31.3 unwraps that
// image into a block of its own, which only a block image node could hold; ours is inline
// (lib/editor/imageNode.ts), as images are in Markdown and HTML, so the paragraph stays.
import { getExtensionField, type Node, type NodeConfig } from "@tiptap/core";

/** `paragraph` (the schema's, unchanged) reading a lone image as a paragraph holding it. */
export function paragraphKeepingImages(paragraph: Node): Node {
  const parse = getExtensionField<NonNullable<NodeConfig["parseMarkdown"]>>(paragraph, "parseMarkdown");
  return paragraph.extend({
    parseMarkdown(token, helpers) {
      const tokens = token.tokens ?? [];
      if (tokens.length === 1 && tokens[0].type === "image") return helpers.createNode("paragraph", undefined, helpers.parseInline(tokens));
      return parse(token, helpers);
    },
  });
}
