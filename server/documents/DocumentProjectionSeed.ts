// Documents made before the title lived in the Y.Doc keep their title in the documents row only.
// The first time the server loads one, it copies that title into the Y.Doc's title text, once,
// as an ordinary server update (relayed, fanned out, stored), so it is not lost when the live
// title takes over.
import * as Y from "yjs";
import { ServerEdit } from "../collab/ServerEdit.ts";
import { documentTitleText } from "../../lib/editor/documentTitleText.ts";
import { DEFAULT_DOCUMENT_TITLE } from "../../lib/documents/documentTitle.ts";
import type { ProjectionRow } from "./DocumentProjectionStore.ts";

/**
 * The Yjs client id the seed is written under. Fixed, so the seed of a given title is the very
 * same update whoever makes it: two instances loading an old document at once (or a retry after
 * a crash) produce identical structs, which Yjs integrates once, never "TitleTitle".
 */
export const TITLE_SEED_CLIENT_ID = 0x5eed;

/** Transaction origin of the seed: nobody's edit. */
export const TITLE_SEED_ORIGIN = new ServerEdit("title-seed", null);

/** The update that puts `title` into an empty title text. Deterministic (see TITLE_SEED_CLIENT_ID). */
export function titleSeedUpdate(title: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = TITLE_SEED_CLIENT_ID;
  try {
    documentTitleText(doc).insert(0, title);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * The row's title when it may have to be copied into the Y.Doc: the document was never
 * projected (so its title never came from the Y.Doc) and has a title of its own. Null otherwise.
 * Whether it must be is then up to the Y.Doc: only when it has no title text (hasTitleText).
 */
export function titleToSeed(row: ProjectionRow | null): string | null {
  return row && row.projectedAt === null && row.title !== DEFAULT_DOCUMENT_TITLE ? row.title : null;
}
