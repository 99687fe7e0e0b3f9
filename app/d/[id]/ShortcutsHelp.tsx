"use client";
// The keyboard shortcuts of the editor, in a dialog opened with Ctrl+/ (Cmd+/ on a Mac) or its
// button; Escape closes it (native <dialog>).
import { useEffect, useRef } from "react";

const SHORTCUTS: readonly (readonly [keys: string, what: string])[] = [
  ["Ctrl+B", "Bold"],
  ["Ctrl+I", "Italic"],
  ["Ctrl+U", "Underline"],
  ["Ctrl+Shift+S", "Strikethrough"],
  ["Ctrl+E", "Inline code"],
  ["Ctrl+Shift+H", "Highlight"],
  ["Ctrl+K", "Add or edit a link"],
  ["Ctrl+Alt+1 … 3", "Heading 1 to 3"],
  ["Ctrl+Alt+0", "Plain text"],
  ["Ctrl+Shift+8", "Bulleted list"],
  ["Ctrl+Shift+7", "Numbered list"],
  ["Ctrl+Shift+9", "Task list"],
  ["Ctrl+Shift+B", "Quote"],
  ["Ctrl+Alt+C", "Code block"],
  ["/", "Insert a block (at the start of a line or after a space)"],
  ["Tab / Shift+Tab", "Next / previous table cell"],
  ["Ctrl+Z", "Undo your last change"],
  ["Ctrl+Shift+Z", "Redo"],
  ["Alt+F10", "To the toolbar: arrow keys move, Escape returns to the text"],
  ["Ctrl+/", "This list"],
];

export function ShortcutsHelp() {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "/" && (event.ctrlKey || event.metaKey) && !event.altKey) {
        event.preventDefault();
        const element = dialog.current;
        if (element && !element.open) element.showModal();
        else element?.close();
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <>
      <button type="button" className="toolbar-button" data-testid="shortcuts-open" onClick={() => dialog.current?.showModal()}>
        Shortcuts
      </button>
      <dialog ref={dialog} className="dialog shortcuts-dialog" aria-labelledby="shortcuts-title" data-testid="shortcuts-dialog">
        <div className="dialog-heading">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button type="button" className="button" onClick={() => dialog.current?.close()} autoFocus>
            Close
          </button>
        </div>
        <p className="muted">On a Mac, use Cmd for Ctrl and Option for Alt.</p>
        <table className="shortcuts-table">
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">Does</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  <kbd>{keys}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </dialog>
    </>
  );
}
