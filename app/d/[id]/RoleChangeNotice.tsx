"use client";
// The short notice shown when the person's role on the open document changes under them (the
// owner lowered them to viewer, or raised them back to editor): the editor follows at once,
// and this says why it no longer (or again) takes input. Edits the server refused because
// they arrived after the change are named here, never shown as saved.
import { useEffect } from "react";
import { canEdit } from "@/lib/access/roles";
import { announce } from "@/app/components/announcements";
import type { RoleChange } from "@/lib/sync/LiveRole";
import styles from "./RoleChangeNotice.module.css";

/** Longest excerpt of refused text quoted in the notice. */
const MAX_QUOTED_CHARS = 160;

export function roleChangeMessage(change: RoleChange): string {
  if (canEdit(change.to)) return "You can now edit this document.";
  if (!change.refusedEdits) return "You can now only view this document.";
  const text = change.refusedText.trim();
  const quoted = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
  return (
    "You can now only view this document. Your last changes were not saved: they reached the server after that" +
    (quoted ? ` (“${quoted}”).` : ".")
  );
}

export function RoleChangeNotice({ change, onDismiss }: { change: RoleChange; onDismiss: () => void }) {
  // Not a live region: the page's one region already says "read-only" / "editable" when the
  // role changes (useConnectionAnnouncements). Refused edits are said there too, after that
  // announcement of the same render, which would otherwise replace this one.
  useEffect(() => {
    if (!change.refusedEdits) return;
    const timer = setTimeout(() => announce(roleChangeMessage(change)), 0);
    return () => clearTimeout(timer);
  }, [change]);
  return (
    <div className={`${styles.notice} ${change.refusedEdits ? styles.warning : ""}`} data-testid="role-changed">
      <span>{roleChangeMessage(change)}</span>
      <button type="button" className="button" onClick={onDismiss} data-testid="role-changed-dismiss">
        OK
      </button>
    </div>
  );
}
