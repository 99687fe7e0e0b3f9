// Reads a Yjs update (v1) without building its structs: finds subdocuments, and where the
// structs end and the delete set begins.
// Y.decodeUpdate constructs a whole Y.Doc for every subdocument it meets — 2,000 of them in
// a 22 KB frame blocked the event loop for 25–190 ms — so updates carrying any are refused
// before that. Anything this reader cannot follow is left to the full decode to judge.
import * as decoding from "lib0/decoding";

const CONTENT_DOC = 9;
const TYPE_REFS_WITH_NAME = new Set([3, 5]); // YXmlElement, YXmlHook

/** true: has a subdocument; false: has none; null: not readable here (let Yjs decide). */
export function containsSubdocument(update: Uint8Array): boolean | null {
  try {
    return skipStructs(decoding.createDecoder(update));
  } catch {
    return null;
  }
}

/**
 * The update's delete set alone, as an update with no structs (what a client that has all
 * the structs sends back when asked for what the server lacks); null when not readable here.
 */
export function deleteSetOf(update: Uint8Array): Uint8Array | null {
  try {
    const decoder = decoding.createDecoder(update);
    if (skipStructs(decoder)) return null;
    const deleteSet = new Uint8Array(1 + update.length - decoder.pos);
    deleteSet[0] = 0; // no structs
    deleteSet.set(update.subarray(decoder.pos), 1);
    return deleteSet;
  } catch {
    return null;
  }
}

/** Reads past the struct section; stops early and returns true at a subdocument. Throws on
 *  anything it cannot follow. */
function skipStructs(decoder: decoding.Decoder): boolean {
  const clients = decoding.readVarUint(decoder);
  for (let c = 0; c < clients; c++) {
    const structs = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder); // client
    decoding.readVarUint(decoder); // clock
    for (let s = 0; s < structs; s++) {
      const info = decoding.readUint8(decoder);
      const ref = info & 0b11111;
      if (ref === 0 || ref === 10) {
        decoding.readVarUint(decoder); // GC or Skip: length
        continue;
      }
      if (ref === CONTENT_DOC) return true;
      if (info & 0b10000000) skipId(decoder); // origin
      if (info & 0b01000000) skipId(decoder); // right origin
      if ((info & 0b11000000) === 0) {
        // No origins: the parent is written out (a root type's name, or an item id).
        if (decoding.readVarUint(decoder) === 1) decoding.readVarString(decoder);
        else skipId(decoder);
        if (info & 0b00100000) decoding.readVarString(decoder); // parentSub
      }
      skipContent(decoder, ref);
    }
  }
  return false;
}

function skipId(decoder: decoding.Decoder): void {
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
}

function skipContent(decoder: decoding.Decoder, ref: number): void {
  switch (ref) {
    case 1: // Deleted
      decoding.readVarUint(decoder);
      return;
    case 2: {
      // JSON
      const length = decoding.readVarUint(decoder);
      for (let i = 0; i < length; i++) decoding.readVarString(decoder);
      return;
    }
    case 3: // Binary
      decoding.readVarUint8Array(decoder);
      return;
    case 4: // String
    case 5: // Embed
      decoding.readVarString(decoder);
      return;
    case 6: // Format
      decoding.readVarString(decoder);
      decoding.readVarString(decoder);
      return;
    case 7: // Type
      if (TYPE_REFS_WITH_NAME.has(decoding.readVarUint(decoder))) decoding.readVarString(decoder);
      return;
    case 8: {
      // Any
      const length = decoding.readVarUint(decoder);
      for (let i = 0; i < length; i++) decoding.readAny(decoder);
      return;
    }
    default:
      throw new Error(`unknown content ref ${ref}`);
  }
}
