// The automerge-paper editing trace (testdata/traces, CC BY 4.0, see its README):
// read, replayed into a Y.Text, and the resulting Yjs states cached in the OS temp dir.

import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import * as Y from "yjs";
import { TRACES_DIR, traceFile } from "../../server/testing/traceFiles.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";

export { TRACES_DIR };
export const TRACE_FILE = traceFile("automerge-paper");
/** The Y.Text every benchmark client edits. */
export const TEXT_NAME = "text";

export type Patch = [position: number, deleteCount: number, insert: string];
export interface Trace {
  txns: { patches: Patch[] }[];
  endContent: string;
}

export function readTrace(): Trace {
  return JSON.parse(gunzipSync(readFileSync(TRACE_FILE)).toString("utf8"));
}

/** Applies one transaction's patches to `text` (positions are code points; the trace is ASCII). */
export function applyTxn(doc: Y.Doc, text: Y.Text, txn: { patches: Patch[] }): void {
  doc.transact(() => {
    for (const [position, deleteCount, insert] of txn.patches) {
      if (deleteCount > 0) text.delete(position, deleteCount);
      if (insert) text.insert(position, insert);
    }
  });
}

export interface TraceStates {
  /** Encoded Y.Doc state after the whole trace. */
  fullStatePath: string;
  /** Encoded state after the first `halfTxns` transactions (the typing replay starts there). */
  halfStatePath: string;
  halfTxns: number;
  txns: number;
  fullStateBytes: number;
}

/** Builds (or reuses from the temp dir) the Yjs states of the trace. */
export function prepareTraceStates(): TraceStates {
  const stamp = `${statSync(TRACE_FILE).mtimeMs}-${Y.encodeStateAsUpdate(new Y.Doc()).length}`;
  const base = path.join(tmpdir(), `collab-bench-automerge-paper-${stamp.replace(/\W/g, "_")}`);
  const fullStatePath = `${base}.full.bin`;
  const halfStatePath = `${base}.half.bin`;
  const metaPath = `${base}.json`;
  if (existsSync(fullStatePath) && existsSync(halfStatePath) && existsSync(metaPath)) {
    return { ...JSON.parse(readFileSync(metaPath, "utf8")), fullStatePath, halfStatePath };
  }
  const trace = readTrace();
  const doc = new Y.Doc();
  const text = doc.getText(TEXT_NAME);
  const halfTxns = Math.floor(trace.txns.length / 2);
  trace.txns.forEach((txn, index) => {
    if (index === halfTxns) writeFileSync(halfStatePath, Y.encodeStateAsUpdate(doc));
    applyTxn(doc, text, txn);
  });
  if (text.toString() !== trace.endContent) throw new Error("trace replay did not reach endContent");
  const full = Y.encodeStateAsUpdate(doc);
  writeFileSync(fullStatePath, full);
  const meta = { halfTxns, txns: trace.txns.length, fullStateBytes: full.byteLength };
  writeFileSync(metaPath, JSON.stringify(meta));
  return { ...meta, fullStatePath, halfStatePath };
}

/**
 * The trace replayed into the editor's fragment, once per paragraph: one paragraph is "the
 * 311 KB paper document" of the issues; more make a larger document of the same prose
 * (each copy is typed by its own client, as different people would).
 */
export function paperDocumentState(paragraphs = 1): Uint8Array {
  const cached = path.join(tmpdir(), `collab-bench-paper-fragment-${statSync(TRACE_FILE).mtimeMs}-${paragraphs}.bin`.replace(/[^\w./-]/g, "_"));
  if (existsSync(cached)) return new Uint8Array(readFileSync(cached));
  const trace = readTrace();
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(EDITOR_FRAGMENT_NAME);
  for (let copy = 0; copy < paragraphs; copy++) {
    const author = new Y.Doc();
    Y.applyUpdate(author, Y.encodeStateAsUpdate(doc));
    const paragraph = new Y.XmlElement("paragraph");
    author.getXmlFragment(EDITOR_FRAGMENT_NAME).push([paragraph]);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    for (const txn of trace.txns) applyTxn(author, text, txn);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(author, Y.encodeStateVector(doc)));
  }
  if (fragment.length !== paragraphs) throw new Error("paper document replay went wrong");
  const state = Y.encodeStateAsUpdate(doc);
  writeFileSync(cached, state);
  return state;
}
