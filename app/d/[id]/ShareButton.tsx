"use client";
// Owners' share dialog: people with a role (SharePeople.tsx); create a link with a role and an optional expiry, copy it (its URL is
// shown once: the server keeps only a hash of the secret), list the links, revoke any.
// A native modal <dialog>: focus moves in and stays in, Escape closes, and focus returns to the
// Share button.
import { useCallback, useEffect, useRef, useState } from "react";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";
import { GRANTABLE_ROLES, ROLE_LABELS, type GrantableRole } from "@/lib/access/roles";
import { SharePeople } from "./SharePeople";
import { useFocusTrap } from "@/app/components/useFocusTrap";
import { ErrorNote } from "@/app/components/ErrorNote";

interface LinkRow {
  id: string;
  role: GrantableRole;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  live: boolean;
}

const EXPIRY_CHOICES = [
  { label: "Never expires", days: null },
  { label: "Expires in 1 day", days: 1 },
  { label: "Expires in 7 days", days: 7 },
  { label: "Expires in 30 days", days: 30 },
] as const;

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

/** `canInvite`: the viewer is a workspace admin, who may invite an email without an account. */
export function ShareButton({ documentId, canInvite }: { documentId: string; canInvite: boolean }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => {
    setOpen(false);
    opener.current?.focus();
  }, []);
  return (
    <>
      <button ref={opener} type="button" className="button" onClick={() => setOpen(true)} data-testid="share-button">
        Share
      </button>
      {open && <ShareDialog documentId={documentId} canInvite={canInvite} onClose={close} />}
    </>
  );
}

function ShareDialog({ documentId, canInvite, onClose }: { documentId: string; canInvite: boolean; onClose: () => void }) {
  const base = `/api/documents/${encodeURIComponent(documentId)}/links`;
  const [links, setLinks] = useState<LinkRow[] | null>(null);
  const [role, setRole] = useState<GrantableRole>("viewer");
  const [expiry, setExpiry] = useState(0);
  const [created, setCreated] = useState<{ url: string; role: GrantableRole } | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const copyButton = useRef<HTMLButtonElement>(null);
  useFocusTrap(dialog);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  // The new link's Copy button takes the focus (the Create button is disabled while it works,
  // which would otherwise drop the focus to the page).
  useEffect(() => {
    if (created) copyButton.current?.focus();
  }, [created]);

  const refresh = useCallback(async () => {
    const response = await fetch(base, { cache: "no-store" });
    if (!response.ok) {
      setError(await apiErrorMessage(response));
      return;
    }
    setLinks(((await response.json()) as { links: LinkRow[] }).links);
  }, [base]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  async function createLink() {
    setBusy(true);
    setError(null);
    setCopied(false);
    const response = await fetch(base, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ role, expiresInDays: EXPIRY_CHOICES[expiry].days }),
    });
    setBusy(false);
    if (response.status !== 201) {
      setError(await apiErrorMessage(response));
      return;
    }
    const { url } = (await response.json()) as { url: string };
    setCreated({ url, role });
    await refresh();
  }

  async function revoke(linkId: string) {
    setError(null);
    const response = await fetch(`${base}/${encodeURIComponent(linkId)}`, { method: "DELETE" });
    if (!response.ok) setError(await apiErrorMessage(response));
    await refresh();
  }

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setError("Could not copy: select the link and copy it by hand.");
    }
  }

  return (
    // Escape fires "cancel" then "close"; a click on the backdrop lands on the dialog itself.
    <dialog
      ref={dialog}
      className="dialog dialog-modal"
      aria-labelledby="share-title"
      data-testid="share-dialog"
      onClose={onClose}
      onClick={(event) => event.target === event.currentTarget && onClose()}
    >
      <div className="dialog-body">
        <div className="dialog-heading">
          <h2 id="share-title">Share</h2>
          <button type="button" className="button" onClick={onClose} aria-label="Close" data-testid="share-close">
            ×
          </button>
        </div>
        <div className="share-create">
          <select value={role} onChange={(event) => setRole(event.target.value as GrantableRole)} aria-label="Role" data-testid="share-role">
            {GRANTABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
          <select value={expiry} onChange={(event) => setExpiry(Number(event.target.value))} aria-label="Expiry" data-testid="share-expiry">
            {EXPIRY_CHOICES.map((choice, index) => (
              <option key={choice.label} value={index}>
                {choice.label}
              </option>
            ))}
          </select>
          <button type="button" className="button primary" onClick={createLink} disabled={busy} data-testid="share-create">
            Create link
          </button>
        </div>
        {created && (
          <div className="share-created">
            <p className="muted">
              New link ({ROLE_LABELS[created.role].toLowerCase()}). Copy it now: it is not shown again.
            </p>
            <div className="share-url-row">
              <input readOnly value={created.url} onFocus={(event) => event.currentTarget.select()} data-testid="share-url" aria-label="Link" />
              <button ref={copyButton} type="button" className="button" onClick={() => copy(created.url)} data-testid="share-copy">
                {copied ? "Copied" : "Copy"}
              </button>
            </div>
          </div>
        )}
        <ErrorNote message={error} />
        <SharePeople documentId={documentId} canInvite={canInvite} />
        <h3>Links</h3>
        {links === null ? (
          <p className="muted">Loading…</p>
        ) : links.length === 0 ? (
          <p className="muted">No links yet.</p>
        ) : (
          <ul className="share-links" data-testid="share-links">
            {links.map((link) => (
              <li key={link.id} data-testid="share-link-row" data-role={link.role} data-live={link.live ? "true" : "false"}>
                <span>{ROLE_LABELS[link.role]}</span>
                <span className="muted">
                  {link.revokedAt
                    ? "revoked"
                    : link.expiresAt
                      ? `${link.live ? "expires" : "expired"} ${dateFormat.format(new Date(link.expiresAt))}`
                      : "no expiry"}
                </span>
                {link.live && (
                  <button type="button" className="button" onClick={() => revoke(link.id)} data-testid="share-revoke">
                    Revoke
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </dialog>
  );
}
