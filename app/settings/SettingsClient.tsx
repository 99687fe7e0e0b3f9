"use client";
// The admin area: members (workspace role, admin, deactivate, password-reset link), invitations
// (create → mailed or a link to copy, pending list, revoke), email status and the sign-up mode.
// Everything goes through /api/admin/...
import { useCallback, useEffect, useState } from "react";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";
import { MembersTable, type AdminMember } from "./MembersTable";
import { InvitationsPanel } from "./InvitationsPanel";
import { MailStatus } from "./MailStatus";
import { CopyableLink } from "@/app/components/CopyableLink";
import styles from "./settings.module.css";
import { ErrorNote } from "@/app/components/ErrorNote";

export function SettingsClient({ currentUserId }: { currentUserId: string }) {
  const [members, setMembers] = useState<AdminMember[] | null>(null);
  const [signup, setSignup] = useState<"open" | "invite" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resetLink, setResetLink] = useState<{ name: string; url: string } | null>(null);
  /** Bumped after an invitation, whose mail may have failed: the Email section reads its status again. */
  const [mailChecks, setMailChecks] = useState(0);

  const refreshMembers = useCallback(async () => {
    const response = await fetch("/api/admin/members", { cache: "no-store" });
    if (response.ok) setMembers(((await response.json()) as { members: AdminMember[] }).members);
    else setError(await apiErrorMessage(response));
  }, []);

  useEffect(() => {
    void refreshMembers();
    void (async () => {
      const response = await fetch("/api/admin/settings", { cache: "no-store" });
      if (response.ok) setSignup(((await response.json()) as { signup: "open" | "invite" }).signup);
      else setError(await apiErrorMessage(response));
    })();
  }, [refreshMembers]);

  async function changeMember(id: string, change: Partial<Pick<AdminMember, "role" | "workspaceRole" | "deactivated">>) {
    setError(null);
    const response = await fetch(`/api/admin/members/${encodeURIComponent(id)}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(change),
    });
    if (!response.ok) setError(await apiErrorMessage(response));
    await refreshMembers();
  }

  async function makeResetLink(member: AdminMember) {
    setError(null);
    setResetLink(null);
    const response = await fetch(`/api/admin/members/${encodeURIComponent(member.id)}/password-reset`, { method: "POST" });
    if (response.ok) setResetLink({ name: member.name, url: ((await response.json()) as { url: string }).url });
    else setError(await apiErrorMessage(response));
  }

  async function changeSignup(value: "open" | "invite") {
    setError(null);
    const response = await fetch("/api/admin/settings", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ signup: value }),
    });
    if (response.ok) setSignup(value);
    else setError(await apiErrorMessage(response));
  }

  return (
    <section data-testid="settings">
      <h1>Settings</h1>
      <ErrorNote message={error} />
      <h2 id="members-heading">Members</h2>
      {members ? (
        <MembersTable members={members} currentUserId={currentUserId} onChange={changeMember} onResetLink={makeResetLink} />
      ) : (
        <p className="muted">Loading…</p>
      )}
      {resetLink && (
        <CopyableLink
          label={`Password reset link for ${resetLink.name} (works once, for 24 hours; signs them out elsewhere)`}
          url={resetLink.url}
          testId="reset-link-url"
        />
      )}
      <InvitationsPanel onInvited={() => setMailChecks((n) => n + 1)} />
      <MailStatus refreshKey={mailChecks} />
      <h2 id="signup-heading">Sign-up</h2>
      <fieldset className={styles.signup} aria-labelledby="signup-heading" disabled={signup === null}>
        <label>
          <input type="radio" name="signup" value="invite" checked={signup === "invite"} onChange={() => void changeSignup("invite")} data-testid="signup-invite" />{" "}
          By invitation only
        </label>
        <label>
          <input type="radio" name="signup" value="open" checked={signup === "open"} onChange={() => void changeSignup("open")} data-testid="signup-open" />{" "}
          Open: anyone who can reach this server can create an account
        </label>
      </fieldset>
    </section>
  );
}
