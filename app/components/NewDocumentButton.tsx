"use client";
// Creates a document through the API and opens it.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiErrorMessage } from "./apiErrorMessage";
import { ErrorNote } from "./ErrorNote";

export function NewDocumentButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch("/api/documents", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      if (response.status !== 201) throw new Error(await apiErrorMessage(response));
      const { id } = (await response.json()) as { id: string };
      router.push(`/d/${encodeURIComponent(id)}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Could not create a document.");
      setBusy(false);
    }
  }

  return (
    <div className="new-document">
      <button type="button" className="button primary" data-testid="new-document" onClick={create} disabled={busy}>
        {busy ? "Creating…" : "New document"}
      </button>
      <ErrorNote message={error} />
    </div>
  );
}
