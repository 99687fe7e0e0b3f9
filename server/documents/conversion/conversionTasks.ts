// The work the conversion workers do (server/documents/conversion/conversionWorker.ts), as plain
// functions over bytes and strings so the same code also runs in-thread (tests compare the two).
// Export: a document's Yjs state → Markdown, HTML or JSON. Import: a Markdown or HTML body →
// the Yjs updates that make a document's content that, diffed against its current state.
import * as Y from "yjs";
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import {
  documentSchema,
  firstHeadingText,
  formatDocument,
  parseDocument,
  UnreadableContentError,
  type DocumentFormat,
  type InputFormat,
} from "../../../lib/editor/documentFormats.ts";
import { EDITOR_FRAGMENT_NAME } from "../../../lib/editor/extensions.ts";
import { documentTitleText, setTitleText } from "../../../lib/editor/documentTitleText.ts";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { runHistoryTask, type HistoryResult, type HistoryTask } from "../../history/versionTasks.ts";
import { titleFromHeading } from "../../../lib/documents/documentTitle.ts";
import { projectionOf, type Projection } from "../DocumentProjectionStore.ts";
import { structChunks, UPDATE_CHUNK_BYTES } from "./updateChunks.ts";

/** A document's content in `format`, from its encoded Yjs state. */
export interface ExportTask {
  kind: "export";
  format: DocumentFormat;
  state: Uint8Array;
}

/** A Markdown or HTML body (raw bytes, UTF-8) to become the content of the document whose
 *  state is `state` (null: a new, empty one). */
export interface ImportTask {
  kind: "import";
  format: InputFormat;
  body: Uint8Array;
  state: Uint8Array | null;
  /** A new document's title (state null), put into its Y.Doc's title text with the content;
   *  omitted: its first heading's (titleFromHeading), if any. Ignored for an existing document. */
  title?: string;
  /** Target size of each update (tests make it small). */
  chunkBytes?: number;
}

export type ConversionTask = ExportTask | ImportTask | HistoryTask;

export interface ExportResult {
  kind: "export";
  text: string;
}

export interface ImportResult {
  kind: "import";
  /** Updates to apply in order (none: the content is already that). The last one carries the
   *  deletions, so until it lands the old content is still there beside the new. */
  updates: Uint8Array[];
  /** Their total size in bytes. */
  updateBytes: number;
  /** For a new document (no base state): the same content as one update, the document's whole
   *  state, to be stored as it is (see createFromContent). Null otherwise. */
  wholeState: Uint8Array | null;
  /** The first heading's text (a title for a new document), or null. */
  heading: string | null;
  /** For a new document: its row's projection (title, content_text), read off the new Y.Doc
   *  here rather than on the event loop. Null otherwise. */
  projection: Projection | null;
}

export type ConversionResult = ExportResult | ImportResult | HistoryResult;

/** Runs one task. Throws UnreadableContentError for input that is not a document. */
export function runConversion(task: ConversionTask): ConversionResult {
  switch (task.kind) {
    case "export":
      return exportContent(task);
    case "import":
      return importContent(task);
    default:
      return runHistoryTask(task);
  }
}

function exportContent({ format, state }: ExportTask): ExportResult {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    // y-tiptap deletes the Yjs items of nodes the schema refuses while it converts: harmless
    // here, on a copy that is thrown away.
    const document = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(EDITOR_FRAGMENT_NAME), documentSchema());
    return { kind: "export", text: formatDocument(format, document) };
  } finally {
    doc.destroy();
  }
}

function importContent({ format, body, state, title, chunkBytes = UPDATE_CHUNK_BYTES }: ImportTask): ImportResult {
  let text: string;
  try {
    // fatal: invalid UTF-8 is refused, not silently turned into U+FFFD.
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new UnreadableContentError("The body is not valid UTF-8.");
  }
  const document = parseDocument(format, text);
  // A new document's title lives in its Y.Doc too (lib/editor/documentTitleText.ts): stored
  // in the same first state, so a client reads it from its very first sync.
  return updatesTowards(state, document, state ? null : (title ?? titleFromHeading(firstHeadingText(document))), chunkBytes);
}

/**
 * The updates that make the document whose state is `state` (null: a new one) have the
 * content `document` and, unless null, the title `title`: a minimal diff, in pieces of about
 * `chunkBytes`. Also used to restore a version (server/history/versionTasks.ts).
 */
export function updatesTowards(state: Uint8Array | null, document: ProseMirrorNode, title: string | null, chunkBytes = UPDATE_CHUNK_BYTES): ImportResult {
  const scratch = new Y.Doc();
  try {
    if (state) Y.applyUpdate(scratch, state);
    // Read after the base state is in: Yjs picks a new client id if the state used ours.
    const client = scratch.clientID;
    const fromClock = Y.getState(scratch.store, client);
    let deleted = false;
    scratch.on("afterTransaction", (transaction: Y.Transaction) => {
      if (transaction.deleteSet.clients.size > 0) deleted = true;
    });
    // y-prosemirror's own diff (the editor binding's): only what differs is touched, so
    // unchanged paragraphs keep their Yjs items and carets in them stay put.
    const fragment = scratch.getXmlFragment(EDITOR_FRAGMENT_NAME);
    scratch.transact(() => updateYFragment(scratch, fragment, document, { mapping: new Map(), isOMark: new Map() }));
    if (title) scratch.transact(() => setTitleText(documentTitleText(scratch), title));
    const updates = structChunks(scratch, client, fromClock, chunkBytes);
    // The deletions, last: the document's whole delete set (Yjs has no public encoder for a
    // part of one); deletions it already had change nothing where it is applied.
    if (deleted) updates.push(Y.encodeStateAsUpdate(scratch, Y.encodeStateVector(scratch)));
    return {
      kind: "import",
      updates,
      updateBytes: updates.reduce((sum, update) => sum + update.length, 0),
      wholeState: state ? null : Y.encodeStateAsUpdate(scratch),
      heading: firstHeadingText(document),
      projection: state ? null : projectionOf(scratch),
    };
  } finally {
    scratch.destroy();
  }
}
