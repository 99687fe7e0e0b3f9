"use client";
// The document's title as an input; renames on blur or Enter, Escape reverts.
import { useRef, useState } from "react";
import { DOCUMENT_TITLE_MAX_CHARS, normalizeDocumentTitle } from "@/lib/documents/documentTitle";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";

type SaveState = { kind: "idle" } | { kind: "saving" } | { kind: "saved" } | { kind: "error"; message: string };

interface Props {
  documentId: string;
  initialTitle: string;
  /** Viewers and commenters see the title but cannot rename. */
  editable: boolean;
  /** Share link secret of a guest, sent with the rename. */
  token: string | null;
}

export function DocumentTitle({ documentId, initialTitle, editable, token }: Props) {
  const [draft, setDraft] = useState(initialTitle);
  const [saved, setSaved] = useState(initialTitle);
  const [state, setState] = useState<SaveState>({ kind: "idle" });
  // Renames are serialised: the latest request's answer wins even if an older one is slow.
  const requestSeq = useRef(0);

  async function commit() {
    const checked = normalizeDocumentTitle(draft);
    if (!checked.ok) {
      setState({ kind: "error", message: checked.message });
      setDraft(saved);
      return;
    }
    setDraft(checked.title);
    if (checked.title === saved) return;
    const seq = ++requestSeq.current;
    setState({ kind: "saving" });
    try {
      const response = await fetch(`/api/documents/${encodeURIComponent(documentId)}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", ...(token ? { "x-share-token": token } : {}) },
        body: JSON.stringify({ title: checked.title }),
      });
      if (!response.ok) throw new Error(await apiErrorMessage(response));
      const { title } = (await response.json()) as { title: string };
      if (seq !== requestSeq.current) return;
      setSaved(title);
      setState({ kind: "saved" });
      document.title = `${title} · Documents`;
    } catch (e) {
      if (seq !== requestSeq.current) return;
      setState({ kind: "error", message: e instanceof Error ? e.message : "Could not rename." });
    }
  }

  return (
    <div className="document-title-row">
      <input
        className="document-title-input"
        data-testid="document-title"
        aria-label="Document title"
        value={draft}
        readOnly={!editable}
        maxLength={DOCUMENT_TITLE_MAX_CHARS}
        onChange={(event) => {
          setDraft(event.target.value);
          if (state.kind !== "saving") setState({ kind: "idle" });
        }}
        onBlur={() => void commit()}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            event.currentTarget.blur();
          } else if (event.key === "Escape") {
            setDraft(saved);
            setState({ kind: "idle" });
          }
        }}
      />
      <span className="title-save-state muted" data-testid="title-save-state" aria-live="polite">
        {state.kind === "saving" && "Saving…"}
        {state.kind === "saved" && "Saved"}
        {state.kind === "error" && <span className="error-text">{state.message}</span>}
      </span>
    </div>
  );
}
