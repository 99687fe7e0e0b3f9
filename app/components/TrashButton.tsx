"use client";
// "Move to Trash" for owners (and admins), on the home list and in the editor's header. Not
// confirmed: Trash is reversible (restore from /trash); deleting forever is confirmed there.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { announce } from "./announcements";
import { apiErrorMessage } from "./apiErrorMessage";
import { focusAfterRowRemoval } from "./focusAfterRowRemoval";
import { ErrorNote } from "./ErrorNote";

interface Props {
  documentId: string;
  /** Said when it is done ("“Notes” moved to the Trash."). */
  title?: string;
  /** Where to go afterwards: "refresh" stays (the home list), "home" leaves the editor. */
  then: "refresh" | "home";
  testId: string;
}

export function TrashButton({ documentId, title, then, testId }: Props) {
  const router = useRouter();
  const button = useRef<HTMLButtonElement>(null);
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
    announce(title ? `“${title}” moved to the Trash.` : "Moved to the Trash.");
    if (then === "home") router.push("/");
    else {
      // The row goes away with the refresh; the keyboard stays in the list.
      if (button.current) focusAfterRowRemoval(button.current);
      router.refresh();
      setBusy(false);
    }
  }

  return (
    <span className="trash-button">
      <button ref={button} type="button" className="button" onClick={moveToTrash} disabled={busy} data-testid={testId} title="Move to Trash">
        {busy ? "Moving…" : "Move to Trash"}
      </button>
      <ErrorNote message={error} inline />
    </span>
  );
}
