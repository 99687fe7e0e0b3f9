// One client's new structs as a series of small Yjs updates instead of one large one, so the
// main thread can apply a big imported document a piece at a time between other work (a 1 MB
// Markdown import is a 1.3 MB update, which Yjs decodes and integrates in one go for 0.3-0.7 s).
//
// Yjs has no public way to cut an update, but its V1 format is simple: per client, a count, the
// client id, the first clock, then the structs in clock order; then the delete set. Each chunk
// here is one run of consecutive structs of the one client, written exactly as
// encodeStateAsUpdate writes them (AbstractStruct.write). Applying the chunks in order is
// applying the whole: a struct only ever refers to structs that existed when it was made (its
// left/right origins and parent), so everything a chunk needs is in the base state or an
// earlier chunk, and no chunk waits in Yjs' pending queue.
import * as Y from "yjs";
import * as encoding from "lib0/encoding";

/** Update size the chunks aim for. A struct is never cut, so one holding a long text run can
 *  make its chunk larger; such a chunk is cheap per byte (one string, not many small items). */
export const UPDATE_CHUNK_BYTES = 32 * 1024;

/** An encoded update with no structs and an empty delete set. */
const EMPTY_DELETE_SET = 0;

/**
 * The structs `client` added to `doc` from clock `fromClock` on, as updates of about
 * `chunkBytes` each, in the order they must be applied. `fromClock` must be where one of the
 * client's structs starts (its state before the change: a fresh client starts at 0).
 */
export function structChunks(doc: Y.Doc, client: number, fromClock: number, chunkBytes = UPDATE_CHUNK_BYTES): Uint8Array[] {
  const structs = doc.store.clients.get(client) ?? [];
  let index = structs.findIndex((struct) => struct.id.clock >= fromClock);
  if (index < 0) return [];
  if (structs[index].id.clock !== fromClock) throw new Error(`clock ${fromClock} of client ${client} is not the start of a struct`);
  const chunks: Uint8Array[] = [];
  while (index < structs.length) {
    const body = new Y.UpdateEncoderV1();
    const start = index;
    // Structs are written to a body first: the count goes before them in the header.
    while (index < structs.length && (index === start || encoding.length(body.restEncoder) < chunkBytes)) {
      structs[index].write(body, 0);
      index++;
    }
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, 1); // one client
    encoding.writeVarUint(update, index - start);
    encoding.writeVarUint(update, client);
    encoding.writeVarUint(update, structs[start].id.clock);
    encoding.writeUint8Array(update, body.toUint8Array());
    encoding.writeVarUint(update, EMPTY_DELETE_SET);
    chunks.push(encoding.toUint8Array(update));
  }
  return chunks;
}
