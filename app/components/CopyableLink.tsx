"use client";
// A link shown once (share links, invitations: only their hash is stored) with a Copy button;
// selecting the field is the fallback where the clipboard is refused.
import { useState } from "react";

export function CopyableLink({ label, url, testId }: { label: string; url: string; testId: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setState("copied");
    } catch {
      setState("failed");
    }
  }
  return (
    <div className="share-created">
      <p className="muted">{label}. Copy it now: it is not shown again.</p>
      <div className="share-url-row">
        <input readOnly value={url} onFocus={(event) => event.currentTarget.select()} data-testid={testId} aria-label={label} />
        <button type="button" className="button" onClick={() => void copy()} data-testid={`${testId}-copy`}>
          {state === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      {state === "failed" && (
        <p className="error-text" role="alert">
          Could not copy: select the link and copy it by hand.
        </p>
      )}
    </div>
  );
}
