// Comment anchors: two Yjs relative positions into the editor's Y.XmlFragment (the kind
// y-prosemirror makes for a selection), so a thread's range follows everyone's edits. The
// server cannot trust a client's anchor: it must decode and point into this document's
// editor content, or the comment is refused.
import * as Y from "yjs";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";

export interface EncodedAnchor {
  start: string;
  end: string;
}

/** Why `anchor` does not point into `doc`'s editor content, or null when both ends do. */
export function anchorProblem(doc: Y.Doc, anchor: EncodedAnchor): string | null {
  for (const [end, encoded] of [["start", anchor.start], ["end", anchor.end]] as const) {
    let position: Y.RelativePosition;
    try {
      position = Y.decodeRelativePosition(Buffer.from(encoded, "base64"));
    } catch {
      return `The anchor's ${end} is not an encoded Yjs relative position.`;
    }
    // A root type of another name would be created by resolving it: never resolve one.
    if (position.tname !== null && position.tname !== EDITOR_FRAGMENT_NAME) return `The anchor's ${end} is outside the document's content.`;
    let absolute: Y.AbsolutePosition | null;
    try {
      absolute = Y.createAbsolutePositionFromRelativePosition(position, doc);
    } catch {
      absolute = null;
    }
    if (!absolute) return `The anchor's ${end} is not a position in this document.`;
    if (!insideEditorContent(doc, absolute.type)) return `The anchor's ${end} is outside the document's content.`;
  }
  return null;
}

function insideEditorContent(doc: Y.Doc, type: Y.AbstractType<unknown>): boolean {
  const content = doc.getXmlFragment(EDITOR_FRAGMENT_NAME);
  let current: Y.AbstractType<unknown> | null = type;
  while (current) {
    if (current === (content as unknown)) return true;
    current = (current._item?.parent as Y.AbstractType<unknown> | undefined) ?? null;
  }
  return false;
}

/** An anchor around the first occurrence of `text` within one run of text of the document (for
 *  scripts using the HTTP API, which have no relative positions of their own); null if absent. */
export function anchorForText(doc: Y.Doc, text: string): EncodedAnchor | null {
  if (text === "") return null;
  const found = findText(doc.getXmlFragment(EDITOR_FRAGMENT_NAME), text);
  if (!found) return null;
  const start = Y.createRelativePositionFromTypeIndex(found.node, found.index, 0);
  const end = Y.createRelativePositionFromTypeIndex(found.node, found.index + text.length, -1);
  return { start: toBase64(Y.encodeRelativePosition(start)), end: toBase64(Y.encodeRelativePosition(end)) };
}

function findText(parent: Y.XmlFragment | Y.XmlElement, text: string): { node: Y.XmlText; index: number } | null {
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) {
      // Embeds count one position each, as in Yjs' own indices.
      const flat = (child.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === "string" ? op.insert : "\ufffc")).join("");
      const index = flat.indexOf(text);
      if (index >= 0) return { node: child, index };
    } else if (child instanceof Y.XmlElement) {
      const inner = findText(child, text);
      if (inner) return inner;
    }
  }
  return null;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}
