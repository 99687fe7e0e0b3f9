// A document's content always holds at least one block in Yjs, not only on screen.
//
// Why: the editor's schema needs a block, so an empty Y.XmlFragment (a new document) is shown
// as one empty paragraph that exists only in ProseMirror. The first keystroke then creates the
// Yjs paragraph inside the person's first undo step, and undoing that step empties the fragment
// again: the binding shows a new stand-in paragraph and writes it to Yjs outside the undo
// history, so a redo brings the original paragraph back beside it (a stray empty paragraph,
// saved for everyone) and the undo stack no longer matches the document (issue 13, bug 3).
// With the first paragraph in Yjs before anyone types, typing only fills it, and undo and redo
// are exact inverses of one's own changes.
import * as Y from "yjs";
import { EDITOR_FRAGMENT_NAME } from "./extensions.ts";

/**
 * The Yjs client id the first paragraph is written under. Fixed (like the server's title seed,
 * 0x5eed, which it must differ from), so every editor that adds it to an empty document makes
 * the very same struct: two people opening a new document at once get one paragraph, not two.
 */
export const FIRST_PARAGRAPH_CLIENT_ID = 0x5eee;

/** Transaction origin of the first paragraph: no undo manager tracks it. */
export const FIRST_PARAGRAPH_ORIGIN = Symbol("first-paragraph");

/** The update that puts one empty paragraph into an empty content fragment. Deterministic. */
export function firstParagraphUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = FIRST_PARAGRAPH_CLIENT_ID;
  try {
    doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [new Y.XmlElement("paragraph")]);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Adds the first paragraph to `doc` when its content has no block; returns whether it did.
 * Call once the document is loaded (an empty fragment then really is an empty document) and
 * before its editor takes input, and only for someone who may edit (it is a change like any
 * other, sent to the server).
 */
export function ensureFirstParagraph(doc: Y.Doc): boolean {
  const fragment = doc.getXmlFragment(EDITOR_FRAGMENT_NAME);
  if (fragment.length > 0) return false;
  Y.applyUpdate(doc, firstParagraphUpdate(), FIRST_PARAGRAPH_ORIGIN);
  // Its first paragraph was deleted since (everything in it removed by some other way than the
  // editor, which always keeps a block): the same update adds nothing again, so a new one.
  if (fragment.length === 0) doc.transact(() => fragment.insert(0, [new Y.XmlElement("paragraph")]), FIRST_PARAGRAPH_ORIGIN);
  return true;
}
