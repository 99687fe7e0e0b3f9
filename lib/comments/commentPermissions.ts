// Who may do what with comments. The server enforces these (server/comments/Comments.ts); the
// page uses the same rules only to decide which buttons to offer.
import { canEdit, roleAtLeast, type Role } from "../access/roles.ts";

/** Commenters, editors and owners (and "Can comment" links) write comments; viewers read them. */
export function canComment(role: Role | null): boolean {
  return roleAtLeast(role, "commenter");
}

/** Editors and owners resolve (and reopen) any thread; a commenter, the threads they started. */
export function canResolve(role: Role | null, startedThread: boolean): boolean {
  return canEdit(role) || (startedThread && canComment(role));
}

/** Only a comment's author edits or deletes it, while they may still comment. */
export function canChangeComment(role: Role | null, isAuthor: boolean): boolean {
  return isAuthor && canComment(role);
}
