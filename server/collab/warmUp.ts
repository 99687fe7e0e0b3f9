// Start-up warm-up, so the first person to open a document does not pay for cold code: the
// storage's query path (and its database connection), and Yjs' encode/apply paths, which V8
// runs in its slow tiers until they are hot (the first load of a large document took about
// twice as long as the next ones).
import * as Y from "yjs";
import type { DocumentStorage } from "./storage/DocumentStorage.ts";

/** Edits in the synthetic document: enough for V8 to optimise Yjs' hot loops, ~200 ms. */
const WARM_UP_EDITS = 3_000;
/** Copies of it applied and held at once. */
const WARM_UP_COPIES = 8;

export async function warmUp(storage: DocumentStorage): Promise<void> {
  await storage.load("warm-up");
  const source = new Y.Doc();
  const text = source.getText("warm-up");
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < WARM_UP_EDITS; i++) {
    const position = Math.floor(random() * (text.length + 1));
    if (i % 4 === 3 && text.length > 2) text.delete(Math.min(position, text.length - 2), 2);
    else text.insert(position, i % 2 ? "ab" : "c", i % 5 === 0 ? { bold: true } : undefined);
  }
  const state = Y.encodeStateAsUpdate(source);
  // Apply it into many documents held at once: the apply path gets optimised, and the heap
  // grows to the size a large document needs, instead of during the first real load.
  const copies: Y.Doc[] = [];
  for (let i = 0; i < WARM_UP_COPIES; i++) {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, state);
    copies.push(copy);
  }
  Y.encodeStateAsUpdate(copies[0], Y.encodeStateVector(new Y.Doc()));
  Y.mergeUpdates([state, Y.encodeStateAsUpdate(copies[0])]);
  Y.decodeUpdate(state);
  source.destroy();
  for (const copy of copies) copy.destroy();
}
