"use client";
// Invitations for admins: invite an email (optionally with a role on every document) → mailed
// to them when email is on, else (or when the mail fails) a link to copy (shown once: only its
// hash is kept); pending invitations, revocable.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";
import { GRANTABLE_ROLES, ROLE_LABELS, type GrantableRole } from "@/lib/access/roles";
import { InvitationResult, type CreatedInvitation } from "@/app/components/InvitationResult";
import { ErrorNote } from "@/app/components/ErrorNote";

interface Pending {
  id: string;
  email: string;
  workspaceRole: GrantableRole | null;
  documentTitle: string | null;
  documentRole: GrantableRole | null;
  invitedBy: string | null;
  expiresAt: string;
}

/** `onInvited`: after each new invitation (its mail may have failed). */
export function InvitationsPanel({ onInvited }: { onInvited?: () => void }) {
  const [pending, setPending] = useState<Pending[] | null>(null);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const response = await fetch("/api/admin/invitations", { cache: "no-store" });
    if (response.ok) setPending(((await response.json()) as { invitations: Pending[] }).invitations);
    else setError(await apiErrorMessage(response));
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setCreated(null);
    const form = event.currentTarget;
    const data = new FormData(form);
    const email = String(data.get("email"));
    const response = await fetch("/api/admin/invitations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, workspaceRole: data.get("workspaceRole") || null }),
    });
    if (response.ok) {
      const { invitation, mail } = (await response.json()) as { invitation: { url: string }; mail: CreatedInvitation["mail"] };
      setCreated({ email, url: invitation.url, mail });
      form.reset();
      onInvited?.();
    } else setError(await apiErrorMessage(response));
    await refresh();
  }

  async function revoke(id: string) {
    setError(null);
    const response = await fetch(`/api/admin/invitations/${encodeURIComponent(id)}`, { method: "DELETE" });
    if (!response.ok) setError(await apiErrorMessage(response));
    await refresh();
  }

  return (
    <>
      <h2 id="invitations-heading">Invitations</h2>
      <form className="share-create" onSubmit={invite} aria-labelledby="invitations-heading">
        <input name="email" type="email" required placeholder="Email to invite" aria-label="Email to invite" data-testid="invite-email" />
        <select name="workspaceRole" defaultValue="" aria-label="Role on every document" data-testid="invite-role">
          <option value="">Only what is shared</option>
          {GRANTABLE_ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]} every document
            </option>
          ))}
        </select>
        <button type="submit" className="button" data-testid="invite-create">
          Invite
        </button>
      </form>
      <ErrorNote message={error} />
      {created && <InvitationResult invitation={created} linkLabel={`Invitation link for ${created.email}`} testId="invite-link" />}
      {pending && pending.length === 0 && <p className="muted">No pending invitations.</p>}
      {pending && pending.length > 0 && (
        <ul className="share-links" data-testid="pending-invitations">
          {pending.map((invitation) => (
            <li key={invitation.id} data-testid="pending-invitation">
              <span>
                {invitation.email}
                {invitation.workspaceRole && ` · ${ROLE_LABELS[invitation.workspaceRole]} every document`}
                {invitation.documentTitle && invitation.documentRole && ` · ${ROLE_LABELS[invitation.documentRole]} “${invitation.documentTitle}”`}
                {" · expires "}
                {new Date(invitation.expiresAt).toLocaleDateString(undefined, { dateStyle: "medium" })}
              </span>
              <button type="button" className="button" onClick={() => void revoke(invitation.id)} data-testid="invite-revoke">
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
