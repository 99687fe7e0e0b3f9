"use client";
// After mentioning someone who cannot open the document: an owner is offered to share it with
// them (as a viewer, commenter or editor); anyone else is told to ask an owner.
import { useState } from "react";
import type { GrantableRole } from "@/lib/access/roles";

export interface MentionWithoutAccess {
  userId: string;
  name: string;
  canShare: boolean;
}

export function MentionAccessNotice({ documentId, mention, onDone }: { documentId: string; mention: MentionWithoutAccess; onDone: (shared: boolean) => void }) {
  const [role, setRole] = useState<GrantableRole>("viewer");
  const [state, setState] = useState<"idle" | "busy" | "failed">("idle");
  async function share() {
    setState("busy");
    const response = await fetch(`/api/documents/${encodeURIComponent(documentId)}/members`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: mention.userId, role }),
    }).catch(() => null);
    if (response?.ok) onDone(true);
    else setState("failed");
  }
  return (
    <div className="notice mention-access" role="status" data-testid="mention-access-notice">
      {mention.canShare ? (
        <>
          <p>{mention.name} cannot open this document, so they were not notified. Share it with them?</p>
          <div className="mention-access-actions">
            <label>
              Role{" "}
              <select value={role} onChange={(event) => setRole(event.target.value as GrantableRole)} data-testid="mention-share-role">
                <option value="viewer">Can view</option>
                <option value="commenter">Can comment</option>
                <option value="editor">Can edit</option>
              </select>
            </label>
            <button type="button" className="button primary" onClick={() => void share()} disabled={state === "busy"} data-testid="mention-share">
              Share with {mention.name}
            </button>
            <button type="button" className="button" onClick={() => onDone(false)}>
              Not now
            </button>
          </div>
          {state === "failed" && <p className="error-text">Sharing failed. Try the Share dialog.</p>}
        </>
      ) : (
        <>
          <p>{mention.name} cannot open this document, so they were not notified. Ask an owner to share it with them.</p>
          <button type="button" className="button" onClick={() => onDone(false)}>
            OK
          </button>
        </>
      )}
    </div>
  );
}
