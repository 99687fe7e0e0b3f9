// The document's word and character counts and its outline, for the footer and the outline
// panel. Both used to be useEditorState selectors, which run on every transaction: each
// keystroke, each caret move and each remote caret walked the whole document three times
// (10-20 ms for 100 KB on a 2-core machine), and the first walks delayed the editor's first
// paint. Here they are computed together, only after the document has changed, at most every
// SUMMARY_INTERVAL_MS and when the browser is idle. One store per editor, shared by both panels.
import { useSyncExternalStore } from "react";
import type { Editor } from "@tiptap/react";

export interface OutlineEntry {
  level: number;
  text: string;
  /** Where the heading starts, as of the last computation (see `freshHeadings`). */
  pos: number;
}

export interface DocumentSummary {
  words: number;
  characters: number;
  headings: OutlineEntry[];
}

/** Counts and outline trail the text by at most this much (plus the wait for an idle moment). */
const SUMMARY_INTERVAL_MS = 250;
/** An idle moment is waited for at most this long: a busy page still gets its counts. */
const IDLE_TIMEOUT_MS = 1000;

function headingsOf(editor: Editor): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  editor.state.doc.descendants((node, pos) => {
    if (node.type.name === "heading") {
      const text = node.textContent.trim();
      if (text) entries.push({ level: Number(node.attrs.level), text, pos });
      return false;
    }
    // Headings are top-level blocks or inside quotes, lists and cells; never inside text.
    return !node.isTextblock;
  });
  return entries;
}

function summaryOf(editor: Editor): DocumentSummary {
  // CharacterCount's own counters, so the figures mean what Tiptap's documentation says.
  const counts = editor.storage.characterCount;
  return { words: counts.words(), characters: counts.characters(), headings: headingsOf(editor) };
}

function sameSummary(a: DocumentSummary | null, b: DocumentSummary): boolean {
  return a !== null && a.words === b.words && a.characters === b.characters && JSON.stringify(a.headings) === JSON.stringify(b.headings);
}

function whenIdle(run: () => void): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const handle = window.requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(run, 0);
  return () => window.clearTimeout(handle);
}

class DocumentSummaryStore {
  private summary: DocumentSummary | null = null;
  private readonly listeners = new Set<() => void>();
  private dirty = true;
  private lastRun = -Infinity;
  private cancelPending: (() => void) | null = null;

  constructor(private readonly editor: Editor) {
    editor.on("update", this.onUpdate);
    editor.on("destroy", this.stop);
    this.schedule();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The last computed summary; null until the first one (just after the editor shows the text). */
  readonly getSnapshot = (): DocumentSummary | null => this.summary;

  /** The headings as the document is now: computed at once if it changed since the last time. */
  freshHeadings(): OutlineEntry[] {
    if (this.dirty && !this.editor.isDestroyed) this.run();
    return this.summary?.headings ?? [];
  }

  // Tiptap's "update": a transaction that changed the document (typed, pasted, remote, undo).
  private readonly onUpdate = (): void => {
    this.dirty = true;
    this.schedule();
  };

  private schedule(): void {
    if (this.cancelPending) return;
    const wait = Math.max(0, this.lastRun + SUMMARY_INTERVAL_MS - performance.now());
    let cancelIdle: (() => void) | null = null;
    const timer = window.setTimeout(() => {
      cancelIdle = whenIdle(() => {
        this.cancelPending = null;
        if (this.dirty && !this.editor.isDestroyed) this.run();
      });
    }, wait);
    this.cancelPending = () => {
      window.clearTimeout(timer);
      cancelIdle?.();
    };
  }

  private run(): void {
    this.dirty = false;
    this.lastRun = performance.now();
    const next = summaryOf(this.editor);
    // Headings' positions count: the outline's buttons jump to them.
    if (sameSummary(this.summary, next)) return;
    this.summary = next;
    for (const listener of this.listeners) listener();
  }

  private readonly stop = (): void => {
    this.cancelPending?.();
    this.cancelPending = null;
    this.editor.off("update", this.onUpdate);
    this.editor.off("destroy", this.stop);
  };
}

const stores = new WeakMap<Editor, DocumentSummaryStore>();

export function documentSummaryStore(editor: Editor): DocumentSummaryStore {
  let store = stores.get(editor);
  if (!store) {
    store = new DocumentSummaryStore(editor);
    stores.set(editor, store);
  }
  return store;
}

const NO_SUMMARY = { subscribe: () => () => {}, getSnapshot: () => null };

/** The editor's summary, re-rendering only when a figure or the outline changes. */
export function useDocumentSummary(editor: Editor | null): DocumentSummary | null {
  const store = editor && !editor.isDestroyed ? documentSummaryStore(editor) : NO_SUMMARY;
  return useSyncExternalStore(store.subscribe, store.getSnapshot, () => null);
}
