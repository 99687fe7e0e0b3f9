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
}

export interface DocumentSummary {
  words: number;
  characters: number;
  /** The same array from one summary to the next while no heading's text or level changed. */
  headings: OutlineEntry[];
}

/** A heading and where it starts in the document now. */
export interface PlacedHeading extends OutlineEntry {
  pos: number;
}

/** Counts and outline trail the text by at most this much (plus the wait for an idle moment). */
const SUMMARY_INTERVAL_MS = 250;
/** An idle moment is waited for at most this long: a busy page still gets its counts. */
const IDLE_TIMEOUT_MS = 1000;

function headingsOf(editor: Editor): PlacedHeading[] {
  const entries: PlacedHeading[] = [];
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

function sameOutline(a: OutlineEntry[], b: OutlineEntry[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry.level === b[i].level && entry.text === b[i].text);
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
  /** The headings with their positions as of the last computation (they move with every edit above them). */
  private placed: PlacedHeading[] = [];
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

  /** The headings where they are now: computed at once if the document changed since the last time. */
  freshHeadings(): PlacedHeading[] {
    if (this.dirty && !this.editor.isDestroyed) this.run();
    return this.placed;
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
    // CharacterCount's own counters, so the figures mean what Tiptap's documentation says.
    const counts = this.editor.storage.characterCount;
    const words: number = counts.words();
    const characters: number = counts.characters();
    this.placed = headingsOf(this.editor);
    const previous = this.summary;
    // Typing above a heading moves it but changes nothing the outline shows: same array, so the
    // outline does not re-render (its buttons read positions when clicked, from `placed`).
    const headings = previous && sameOutline(previous.headings, this.placed) ? previous.headings : this.placed.map(({ level, text }) => ({ level, text }));
    if (previous && previous.words === words && previous.characters === characters && previous.headings === headings) return;
    this.summary = { words, characters, headings };
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

/** The editor's summary, re-rendering when a figure or the outline changes. */
export function useDocumentSummary(editor: Editor | null): DocumentSummary | null {
  const store = editor && !editor.isDestroyed ? documentSummaryStore(editor) : NO_SUMMARY;
  return useSyncExternalStore(store.subscribe, store.getSnapshot, () => null);
}

/** The outline's headings (null until known), re-rendering only when a heading's text or level changes. */
export function useDocumentHeadings(editor: Editor | null): OutlineEntry[] | null {
  const store = editor && !editor.isDestroyed ? documentSummaryStore(editor) : NO_SUMMARY;
  return useSyncExternalStore(store.subscribe, () => store.getSnapshot()?.headings ?? null, () => null);
}
