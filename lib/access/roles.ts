// Roles on a document, weakest first. Shared by the server (enforcement) and the browser
// (what the UI offers); the server's answer is the only one that counts.

export const ROLES = ["viewer", "commenter", "editor", "owner"] as const;
export type Role = (typeof ROLES)[number];

/** Roles a share link, a membership or a workspace grant can carry (ownership is not granted). */
export const GRANTABLE_ROLES = ["viewer", "commenter", "editor"] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function isGrantableRole(value: unknown): value is GrantableRole {
  return typeof value === "string" && (GRANTABLE_ROLES as readonly string[]).includes(value);
}

/** True when `role` includes everything `required` may do. */
export function roleAtLeast(role: Role | null, required: Role): boolean {
  return role !== null && ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** The stronger of two roles; null means no access. */
export function strongerRole(a: Role | null, b: Role | null): Role | null {
  if (a === null) return b;
  if (b === null) return a;
  return ROLES.indexOf(a) >= ROLES.indexOf(b) ? a : b;
}

/** Only editors and owners change the document's content. */
export function canEdit(role: Role | null): boolean {
  return roleAtLeast(role, "editor");
}

/** Owners (and workspace admins) share the document and manage its links. */
export function canShare(role: Role | null): boolean {
  return roleAtLeast(role, "owner");
}

export const ROLE_LABELS: Record<Role, string> = {
  viewer: "Can view",
  commenter: "Can comment",
  editor: "Can edit",
  owner: "Owner",
};
