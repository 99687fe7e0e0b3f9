"use client";
// The link dialog (Ctrl+K, the toolbar's Link button, the bubble's Edit): address and text,
// checked against the schema's link rules before anything reaches the document.
import { useEffect, useRef, useState } from "react";
import type { Editor } from "@tiptap/react";
import { applyLink, hrefFromInput, type LinkDraft } from "@/lib/editor/linkEditing";

interface Props {
  editor: Editor | null;
  /** The link being edited or the selected text; null while closed. */
  draft: LinkDraft | null;
  onClose: () => void;
}

export function LinkDialog({ editor, draft, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [href, setHref] = useState("");
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (draft && !element.open) {
      setHref(draft.href);
      setText(draft.text);
      setError(null);
      element.showModal();
    } else if (!draft && element.open) {
      element.close();
    }
  }, [draft]);

  return (
    <dialog
      ref={dialog}
      className="dialog link-dialog"
      aria-labelledby="link-dialog-title"
      data-testid="link-dialog"
      // Escape and the Cancel button both end here; give the editor its caret back.
      onClose={() => {
        onClose();
        editor?.commands.focus();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          const result = hrefFromInput(href);
          if ("error" in result) {
            setError(result.error);
            return;
          }
          if (editor) applyLink(editor, { href: result.href, text });
          dialog.current?.close();
        }}
      >
        <h2 id="link-dialog-title">{draft?.href ? "Edit link" : "Add link"}</h2>
        <label>
          Address
          <input
            type="text"
            inputMode="url"
            value={href}
            onChange={(event) => setHref(event.target.value)}
            placeholder="https://example.com"
            autoFocus
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "link-dialog-error" : undefined}
            data-testid="link-href"
          />
        </label>
        <label>
          Text
          <input type="text" value={text} onChange={(event) => setText(event.target.value)} data-testid="link-text" />
        </label>
        {error && (
          <p id="link-dialog-error" className="error-text" role="alert" data-testid="link-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="button primary" data-testid="link-save">
            Save link
          </button>
        </div>
      </form>
    </dialog>
  );
}
