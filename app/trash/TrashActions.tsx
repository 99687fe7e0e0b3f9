"use client";
// Restore, and delete forever after an explicit confirmation, for one document in the Trash.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { announce } from "@/app/components/announcements";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";
import { focusAfterRowRemoval } from "@/app/components/focusAfterRowRemoval";
import { ErrorNote } from "@/app/components/ErrorNote";

export function TrashActions({ documentId, title }: { documentId: string; title: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/documents/${encodeURIComponent(documentId)}`;
  const actions = useRef<HTMLDivElement>(null);

  async function run(url: string, method: string, done: string) {
    setBusy(true);
    setError(null);
    const response = await fetch(url, { method });
    setBusy(false);
    if (!response.ok) {
      setError(await apiErrorMessage(response));
      return;
    }
    setConfirming(false);
    announce(done);
    // The row goes away with the refresh; the keyboard stays in the list.
    if (actions.current) focusAfterRowRemoval(actions.current);
    router.refresh();
  }

  return (
    <div className="trash-actions" ref={actions}>
      {confirming ? (
        <span role="group" aria-label={`Delete “${title}” forever?`} data-testid="trash-confirm">
          <span className="error-text">Delete forever? This cannot be undone.</span>{" "}
          <button type="button" className="button danger" disabled={busy} onClick={() => run(`${path}?forever=1`, "DELETE", `“${title}” deleted forever.`)} data-testid="trash-confirm-delete">
            Delete forever
          </button>{" "}
          <button type="button" className="button" disabled={busy} onClick={() => setConfirming(false)} data-testid="trash-cancel-delete">
            Cancel
          </button>
        </span>
      ) : (
        <>
          <button type="button" className="button primary" disabled={busy} onClick={() => run(`${path}/restore`, "POST", `“${title}” restored.`)} data-testid="trash-restore">
            Restore
          </button>{" "}
          <button type="button" className="button" disabled={busy} onClick={() => setConfirming(true)} data-testid="trash-delete-forever">
            Delete forever…
          </button>
        </>
      )}
      <ErrorNote message={error} />
    </div>
  );
}
