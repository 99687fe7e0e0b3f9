"use client";
// The outline: the document's headings, read from the editor's state (nothing is stored in the
// document for it; app/d/[id]/documentSummary.ts), each a button that puts the caret there and
// scrolls it into view.
import type { Editor } from "@tiptap/react";
import { documentSummaryStore, useDocumentHeadings, type OutlineEntry } from "./documentSummary";

/** Where a listed heading is now: the list trails the text by a moment and holds no positions. */
function currentPosition(editor: Editor, listed: OutlineEntry, index: number): number | null {
  const headings = documentSummaryStore(editor).freshHeadings();
  const same = headings[index]?.text === listed.text ? headings[index] : headings.find((entry) => entry.text === listed.text);
  return same ? same.pos : null;
}

export function OutlinePanel({ editor }: { editor: Editor | null }) {
  const entries = useDocumentHeadings(editor);
  return (
    <nav className="outline-panel" aria-labelledby="outline-heading" data-testid="outline">
      <h2 id="outline-heading" className="outline-heading">
        Outline
      </h2>
      {/* Nothing until the headings are known: no "no headings" flash before a long outline. */}
      {entries === null ? null : entries.length === 0 ? (
        <p className="muted outline-empty">Headings you add appear here.</p>
      ) : (
        <ul>
          {entries.map((entry, index) => (
            // Not keyed by position: typing above a heading moves it, and must not rebuild the list.
            <li key={`${index}-${entry.text}`} className={`outline-level-${entry.level}`}>
              <button
                type="button"
                className="outline-link"
                data-testid="outline-entry"
                onClick={() => {
                  if (!editor || editor.isDestroyed) return;
                  const pos = currentPosition(editor, entry, index);
                  if (pos === null) return;
                  editor.chain().focus().setTextSelection(pos + 1).scrollIntoView().run();
                  editor.view.domAtPos(pos + 1).node.parentElement?.scrollIntoView({ block: "start", behavior: "smooth" });
                }}
              >
                {entry.text}
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
