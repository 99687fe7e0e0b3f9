// A mention of a person in a document: an inline atom holding the account's id and the name it
// was written with, drawn as "@Name". In the shared schema, so the server's conversions and
// exports know it: HTML keeps it as <span data-type="mention" data-id data-label>, Markdown
// and plain text as "@Name" (Markdown has no mention syntax; an import reads it back as text).
// Who gets notified is decided by the server when the mention is made (POST
// /api/documents/<id>/mentions), never from what a client put in the document.
import { Node, mergeAttributes } from "@tiptap/core";

export const MENTION_NODE = "mention";

/** A name as written into a mention (one line, bounded). */
export function mentionLabel(name: unknown): string {
  return typeof name === "string" ? name.replace(/\s+/g, " ").trim().slice(0, 80) : "";
}

export const mentionNode = Node.create({
  name: MENTION_NODE,
  group: "inline",
  inline: true,
  atom: true,
  selectable: false,

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-id"),
        renderHTML: (attributes) => (attributes.id ? { "data-id": String(attributes.id) } : {}),
      },
      label: {
        default: "",
        parseHTML: (element) => mentionLabel(element.getAttribute("data-label") ?? element.textContent?.replace(/^@/, "")),
        renderHTML: (attributes) => ({ "data-label": mentionLabel(attributes.label) }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'span[data-type="mention"]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return ["span", mergeAttributes({ "data-type": MENTION_NODE, class: "mention" }, HTMLAttributes), `@${mentionLabel(node.attrs.label)}`];
  },

  renderText({ node }) {
    return `@${mentionLabel(node.attrs.label)}`;
  },

  renderMarkdown: (node) => `@${mentionLabel(node.attrs?.label)}`,
});
