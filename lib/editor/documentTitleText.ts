// The document's title lives in its Y.Doc, beside the editor content: a Y.Text named "title"
// (plain text, no formatting). So a rename syncs live, works offline, merges with a concurrent
// rename and is undone like text. The server mirrors it, normalised, to documents.title
// (server/documents/DocumentProjection.ts); stock y-websocket clients read and set it with
// doc.getText("title").
import type * as Y from "yjs";

/** Name of the Y.Text in each document's Y.Doc that holds the title. */
export const DOCUMENT_TITLE_TEXT_NAME = "title";

/** The title text of `doc`. */
export function documentTitleText(doc: Y.Doc): Y.Text {
  return doc.getText(DOCUMENT_TITLE_TEXT_NAME);
}

/**
 * True when the document's title text ever held anything (even if all of it was deleted since),
 * read without creating the type: a document made before titles lived in the Y.Doc has none,
 * and its title is still the one in the documents row.
 */
export function hasTitleText(doc: Y.Doc): boolean {
  const type = doc.share.get(DOCUMENT_TITLE_TEXT_NAME);
  // Deleted characters stay in the list as tombstones, so _start is null only when nothing
  // was ever inserted.
  return type !== undefined && type._start !== null;
}

/** One splice turning a string into another: delete `deleteCount` units at `index`, insert `insert`. */
export interface TextSplice {
  index: number;
  deleteCount: number;
  insert: string;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The smallest splice (common prefix and suffix kept) from `before` to `after`, or null when
 * they are equal. Only the differing middle is replaced, so a concurrent edit elsewhere in the
 * title survives the merge. Indices are UTF-16 units, as Y.Text counts; a splice never cuts a
 * surrogate pair (an emoji) in two.
 */
export function textSplice(before: string, after: string): TextSplice | null {
  if (before === after) return null;
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;
  return { index: start, deleteCount: before.length - start - end, insert: after.slice(start, after.length - end) };
}

/** Makes `text` read `next` by the smallest splice; call inside a transaction with your origin.
 *  Returns whether anything changed. */
export function setTitleText(text: Y.Text, next: string): boolean {
  const splice = textSplice(text.toString(), next);
  if (!splice) return false;
  if (splice.deleteCount > 0) text.delete(splice.index, splice.deleteCount);
  if (splice.insert !== "") text.insert(splice.index, splice.insert);
  return true;
}

/** One op of a Y.Text change event's delta. */
export type TextDeltaOp = { insert?: unknown; delete?: number; retain?: number };

/**
 * Where a caret at `index` (UTF-16 units) is after the change `delta` (a Y.Text event's delta):
 * text inserted before it pushes it right, text deleted before it pulls it left, and text
 * inserted exactly at it stays after it, so someone else's typing does not drag our caret.
 */
export function mapCaretThroughDelta(index: number, delta: readonly TextDeltaOp[]): number {
  let oldPosition = 0;
  let mapped = index;
  for (const op of delta) {
    if (oldPosition > index) break;
    if (op.retain !== undefined) {
      oldPosition += op.retain;
    } else if (op.insert !== undefined) {
      if (oldPosition < index) mapped += typeof op.insert === "string" ? op.insert.length : 1;
    } else if (op.delete !== undefined) {
      mapped -= Math.min(op.delete, Math.max(0, index - oldPosition));
      oldPosition += op.delete;
    }
  }
  return mapped;
}

/** Where a change ends in the new text (after its last insert, or at its last delete): where
 *  the caret goes after an undo or redo, so it lands on what was restored or removed. */
export function changeEnd(delta: readonly TextDeltaOp[]): number {
  let position = 0;
  let end = 0;
  for (const op of delta) {
    if (op.retain !== undefined) position += op.retain;
    else if (op.insert !== undefined) end = position += typeof op.insert === "string" ? op.insert.length : 1;
    else if (op.delete !== undefined) end = position;
  }
  return end;
}
