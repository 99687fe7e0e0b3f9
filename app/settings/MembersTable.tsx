"use client";
// Members of the workspace for admins: name, email, roles, last activity (in the viewer's
// locale and time zone), and the changes an admin can make.
import styles from "./settings.module.css";
import { GRANTABLE_ROLES, ROLE_LABELS, type GrantableRole } from "@/lib/access/roles";

export interface AdminMember {
  id: string;
  name: string;
  email: string;
  role: "admin" | "member";
  workspaceRole: GrantableRole | null;
  deactivated: boolean;
  createdAt: string;
  lastActiveAt: string | null;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "Never");

interface Props {
  members: AdminMember[];
  currentUserId: string;
  onChange(id: string, change: Partial<Pick<AdminMember, "role" | "workspaceRole" | "deactivated">>): Promise<void>;
  /** Makes a password-reset link for the member, to copy and pass on. */
  onResetLink(member: AdminMember): Promise<void>;
}

export function MembersTable({ members, currentUserId, onChange, onResetLink }: Props) {
  return (
    <div className={styles.tableScroll}>
      <table className={styles.table} aria-labelledby="members-heading" data-testid="members-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Admin</th>
            <th scope="col">Every document</th>
            <th scope="col">Last active</th>
            <th scope="col">Status</th>
            <th scope="col">Password</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => {
            const self = member.id === currentUserId;
            return (
              <tr key={member.id} data-testid="admin-member-row" data-email={member.email}>
                <td>{member.name}</td>
                <td>{member.email}</td>
                <td>
                  <input
                    type="checkbox"
                    checked={member.role === "admin"}
                    disabled={self}
                    aria-label={`${member.name} is an admin`}
                    title={self ? "You cannot remove your own admin role" : undefined}
                    onChange={(event) => void onChange(member.id, { role: event.target.checked ? "admin" : "member" })}
                  />
                </td>
                <td>
                  <select
                    value={member.workspaceRole ?? ""}
                    aria-label={`${member.name}'s role on every document`}
                    data-testid="workspace-role"
                    onChange={(event) => void onChange(member.id, { workspaceRole: (event.target.value || null) as GrantableRole | null })}
                  >
                    <option value="">Only what is shared</option>
                    {GRANTABLE_ROLES.map((role) => (
                      <option key={role} value={role}>
                        {ROLE_LABELS[role]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{when(member.lastActiveAt)}</td>
                <td>
                  {member.deactivated ? "Deactivated " : "Active "}
                  {!self && (
                    <button
                      type="button"
                      className="button"
                      data-testid={member.deactivated ? "reactivate" : "deactivate"}
                      onClick={() => void onChange(member.id, { deactivated: !member.deactivated })}
                    >
                      {member.deactivated ? "Reactivate" : "Deactivate"}
                    </button>
                  )}
                </td>
                <td>
                  {!member.deactivated && (
                    <button
                      type="button"
                      className="button"
                      aria-label={`Make a password reset link for ${member.name}`}
                      data-testid="reset-link"
                      onClick={() => void onResetLink(member)}
                    >
                      Reset link
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
