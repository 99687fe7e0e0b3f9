// Yjs merges consecutive text typed by one client into one item, its string grown by `+=`.
// Encoding an update then writes the new characters as a slice of that item's string, and
// slicing a concatenated V8 string copies the whole of it first: each keystroke at the end of
// a long run costs time proportional to the run. A document typed into at the same place for
// a while (one writer at 5,000 updates/s: 90 KB of text a second) spent most of its CPU there,
// 1-3 ms per update after 50,000 of them. Capping the merged string keeps every update's cost
// flat, for about 0.3% more bytes in the encoded state (one item header per 4,096 characters).

import * as Y from "yjs";

/** Longest string two text items are merged into; longer runs stay separate items. */
export const MAX_MERGED_STRING = 4_096;

let installed = false;

/** Installs the cap on this process's Yjs (idempotent). Changes only how items are stored:
 *  the document's content and every update's meaning stay the same. */
export function boundStringRuns(): void {
  if (installed) return;
  installed = true;
  const merge = Y.ContentString.prototype.mergeWith;
  Y.ContentString.prototype.mergeWith = function (this: Y.ContentString, right: Y.ContentString): boolean {
    if (this.str.length + right.str.length > MAX_MERGED_STRING) return false;
    return merge.call(this, right);
  };
}
