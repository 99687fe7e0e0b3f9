// How a version's content is stored (the document_versions rows of prisma/schema.prisma): a
// keyframe is the document's whole Yjs state; every other version is a delta against the row
// before it, holding only the structs made since and the deletions made since. Rebuilding a
// version applies its keyframe and the deltas after it, in order.
//
// A Yjs update carries its document's whole delete set, and a long-edited document's delete set
// is large (10 KB for the 311 KB paper trace): 1,000 deltas each repeating it would cost more
// than the document. So a delta's delete set is only the new deletions, gathered from the
// transactions in between (VersionRecorder), when they are known for certain; otherwise the
// whole one. Yjs has no public encoder for a delete set inside an update, but its V1 format ends
// with it, written exactly as a snapshot writes its own: that is what is cut and replaced here.
import * as Y from "yjs";

export type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/** The bytes Yjs writes for `deleteSet` at the end of a V1 update. */
function encodeDeleteSet(deleteSet: DeleteSet): Uint8Array {
  const snapshot = Y.encodeSnapshot(Y.createSnapshot(deleteSet, new Map()));
  return snapshot.subarray(0, snapshot.length - 1); // an empty state vector is one 0 byte
}

/** The whole state of `doc`: a keyframe. */
export function keyframeOf(doc: Y.Doc): Uint8Array {
  return Y.encodeStateAsUpdate(doc);
}

/**
 * What `doc` has beyond a version whose state vector is `baseStateVector`: the structs made
 * since, and `newDeletions` (which must include every deletion made since) as its delete set.
 * With `newDeletions` null (not known), the whole delete set: correct, just larger.
 */
export function deltaOf(doc: Y.Doc, baseStateVector: Uint8Array, newDeletions: DeleteSet | null): Uint8Array {
  const update = Y.encodeStateAsUpdate(doc, baseStateVector);
  if (newDeletions === null) return update;
  const whole = encodeDeleteSet(Y.createDeleteSetFromStructStore(doc.store));
  // Pending structs make Yjs re-encode the update through mergeUpdates: then the tail may be
  // written differently, and the whole update is kept as it is.
  if (!endsWith(update, whole)) return update;
  const structs = update.subarray(0, update.length - whole.length);
  const deletions = encodeDeleteSet(newDeletions);
  const delta = new Uint8Array(structs.length + deletions.length);
  delta.set(structs);
  delta.set(deletions, structs.length);
  return delta;
}

/** The union of delete sets (transactions' own), or an empty one. */
export function mergeDeletions(deleteSets: DeleteSet[]): DeleteSet {
  return deleteSets.length === 0 ? Y.createDeleteSet() : deleteSets.length === 1 ? deleteSets[0] : Y.mergeDeleteSets(deleteSets);
}

/** A version rebuilt from its keyframe and deltas, into a Y.Doc (gc off when the caller
 *  compares versions: deleted content must stay readable). */
export function rebuild(chain: readonly Uint8Array[], { gc = true } = {}): Y.Doc {
  const doc = new Y.Doc({ gc });
  for (const part of chain) Y.applyUpdate(doc, part);
  return doc;
}

function endsWith(bytes: Uint8Array, tail: Uint8Array): boolean {
  if (tail.length > bytes.length) return false;
  const offset = bytes.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (bytes[offset + i] !== tail[i]) return false;
  return true;
}
