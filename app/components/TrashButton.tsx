"use client";
// "Move to Trash" for owners (and admins), on the home list and in the editor's header. Not
// confirmed: Trash is reversible (restore from /trash); deleting forever is confirmed there.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiErrorMessage } from "./apiErrorMessage";

interface Props {
  documentId: string;
  /** Where to go afterwards: "refresh" stays (the home list), "home" leaves the editor. */
  then: "refresh" | "home";
  testId: string;
}

export function TrashButton({ documentId, then, testId }: Props) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function moveToTrash() {
    setBusy(true);
    setError(null);
    const response = await fetch(`/api/documents/${encodeURIComponent(documentId)}`, { method: "DELETE" });
    if (!response.ok) {
      setError(await apiErrorMessage(response));
      setBusy(false);
      return;
    }
    if (then === "home") router.push("/");
    else {
      router.refresh();
      setBusy(false);
    }
  }

  return (
    <span className="trash-button">
      <button type="button" className="button" onClick={moveToTrash} disabled={busy} data-testid={testId} title="Move to Trash">
        {busy ? "Moving…" : "Move to Trash"}
      </button>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
