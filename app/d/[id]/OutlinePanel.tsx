"use client";
// The outline: the document's headings, read from the editor's state (nothing is stored in the
// document for it), each a button that puts the caret there and scrolls it into view.
import { useEditorState, type Editor } from "@tiptap/react";

interface OutlineEntry {
  level: number;
  text: string;
  pos: number;
}

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

export function OutlinePanel({ editor }: { editor: Editor | null }) {
  const entries = useEditorState({
    editor,
    selector: ({ editor: e }) => (e ? headingsOf(e) : []),
    equalityFn: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  return (
    <nav className="outline-panel" aria-labelledby="outline-heading" data-testid="outline">
      <h2 id="outline-heading" className="outline-heading">
        Outline
      </h2>
      {!entries || entries.length === 0 ? (
        <p className="muted outline-empty">Headings you add appear here.</p>
      ) : (
        <ul>
          {entries.map((entry) => (
            <li key={`${entry.pos}-${entry.text}`} className={`outline-level-${entry.level}`}>
              <button
                type="button"
                className="outline-link"
                data-testid="outline-entry"
                onClick={() => {
                  if (!editor || editor.isDestroyed) return;
                  editor.chain().focus().setTextSelection(entry.pos + 1).scrollIntoView().run();
                  editor.view.domAtPos(entry.pos + 1).node.parentElement?.scrollIntoView({ block: "start", behavior: "smooth" });
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
