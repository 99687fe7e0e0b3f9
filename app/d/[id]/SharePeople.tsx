"use client";
// The share dialog's "People" part: give an account (by email) a role on this document,
// change it, or remove it. Removing or lowering takes effect on their open editor at once.
// An email without an account: admins can invite that person straight to this document (mailed
// when email is on, else a link to copy).
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";
import { GRANTABLE_ROLES, ROLE_LABELS, type GrantableRole } from "@/lib/access/roles";
import { InvitationResult, type CreatedInvitation } from "@/app/components/InvitationResult";
import { ErrorNote } from "@/app/components/ErrorNote";

interface Member {
  userId: string;
  name: string;
  email: string;
  role: GrantableRole;
}

export function SharePeople({ documentId, canInvite }: { documentId: string; canInvite: boolean }) {
  const base = `/api/documents/${encodeURIComponent(documentId)}/members`;
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The email just refused as unknown, which an admin may invite with the chosen role. */
  const [unknown, setUnknown] = useState<{ email: string; role: GrantableRole } | null>(null);
  const [invitation, setInvitation] = useState<CreatedInvitation | null>(null);

  const refresh = useCallback(async () => {
    const response = await fetch(base, { cache: "no-store" });
    if (response.ok) setMembers(((await response.json()) as { members: Member[] }).members);
    else setError(await apiErrorMessage(response));
  }, [base]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  async function grant(email: string, role: GrantableRole): Promise<boolean> {
    setError(null);
    setUnknown(null);
    const response = await fetch(base, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, role }),
    });
    if (response.status === 404 && canInvite) setUnknown({ email, role });
    else if (!response.ok) setError(await apiErrorMessage(response));
    await refresh();
    return response.ok;
  }

  async function invite(email: string, role: GrantableRole) {
    setError(null);
    const response = await fetch("/api/admin/invitations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, documentId, documentRole: role }),
    });
    if (response.ok) {
      const created = (await response.json()) as { invitation: { url: string }; mail: CreatedInvitation["mail"] };
      setInvitation({ email, url: created.invitation.url, mail: created.mail });
      setUnknown(null);
    } else setError(await apiErrorMessage(response));
  }

  async function remove(userId: string) {
    setError(null);
    const response = await fetch(`${base}/${encodeURIComponent(userId)}`, { method: "DELETE" });
    if (!response.ok) setError(await apiErrorMessage(response));
    await refresh();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    if (await grant(String(data.get("email")), data.get("role") as GrantableRole)) form.reset();
  }

  return (
    <>
      <h3>People</h3>
      <form className="share-create" onSubmit={submit}>
        <input name="email" type="email" required placeholder="Email of an account" aria-label="Email" data-testid="member-email" />
        <select name="role" defaultValue="editor" aria-label="Role" data-testid="member-role">
          {GRANTABLE_ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <button type="submit" className="button" data-testid="member-add">
          Add
        </button>
      </form>
      <ErrorNote message={error} />
      {unknown && (
        <p role="status" data-testid="invite-offer">
          No account has the email {unknown.email}.{" "}
          <button type="button" className="button" onClick={() => void invite(unknown.email, unknown.role)} data-testid="invite-to-document">
            Invite {unknown.email}
          </button>
        </p>
      )}
      {invitation && (
        <InvitationResult
          invitation={invitation}
          linkLabel={`Invitation link for ${invitation.email}, who gets this document on sign-up`}
          testId="document-invite-link"
        />
      )}
      {members && members.length > 0 && (
        <ul className="share-links" data-testid="members">
          {members.map((member) => (
            <li key={member.userId} data-testid="member-row">
              <span title={member.email}>{member.name}</span>
              <select
                value={member.role}
                aria-label={`Role of ${member.name}`}
                onChange={(event) => void grant(member.email, event.target.value as GrantableRole)}
              >
                {GRANTABLE_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
              <button type="button" className="button" onClick={() => remove(member.userId)} data-testid="member-remove">
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
