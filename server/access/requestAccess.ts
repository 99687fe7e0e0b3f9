// Access for HTTP requests (pages and route handlers): the signed-in account from the
// session cookie, a share link's secret from `?token=` or the x-share-token header, and the
// role they give on a document.
import type { Role } from "../../lib/access/roles.ts";
import { getAccessContext } from "./accessContext.ts";
import { isDocumentTrashed, principalRole } from "./documentRole.ts";
import { findLiveShareLink, type ShareLinkInfo } from "./shareLinks.ts";

/** Header carrying a share link's secret on API calls made from a page opened with a link. */
export const SHARE_TOKEN_HEADER = "x-share-token";

export interface SignedInUser {
  id: string;
  name: string;
  email: string;
  /** "admin" or "member". */
  role: string;
}

export async function currentUser(headers: Headers): Promise<SignedInUser | null> {
  const { auth } = getAccessContext();
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const { id, name, email } = session.user;
  const role = (session.user as { role?: unknown }).role;
  return { id, name, email, role: typeof role === "string" ? role : "member" };
}

export interface DocumentAccess {
  user: SignedInUser | null;
  link: ShareLinkInfo | null;
  /** null: no access (or no such document). */
  role: Role | null;
  /** A secret was presented but is unknown, revoked or expired. */
  deadLink: boolean;
  /** The document is in Trash: only its owners may act on it (restore, delete forever). */
  trashed: boolean;
}

export async function documentAccess(headers: Headers, documentId: string, token: string | null): Promise<DocumentAccess> {
  return documentAccessOf(currentUser(headers), documentId, token);
}

/** documentAccess for a signed-in user already looked up (pages share one lookup per request). */
export async function documentAccessOf(
  userLookup: Promise<SignedInUser | null>,
  documentId: string,
  token: string | null,
): Promise<DocumentAccess> {
  const { prisma } = getAccessContext();
  const [user, link] = await Promise.all([userLookup, token ? findLiveShareLink(prisma, token) : null]);
  const [role, trashed] =
    user || link
      ? await Promise.all([principalRole(prisma, { userId: user?.id ?? null, link }, documentId), isDocumentTrashed(prisma, documentId)])
      : [null, false];
  return { user, link, role, deadLink: token !== null && link === null, trashed };
}

/** The share token of an API request: header first, then `?token=`. */
export function requestShareToken(request: Request): string | null {
  return request.headers.get(SHARE_TOKEN_HEADER) ?? new URL(request.url).searchParams.get("token");
}

/**
 * True for a state-changing request a browser sent from another origin. The session cookie
 * is SameSite=Lax, which still lets a sibling subdomain (same site, other origin) send it;
 * checking Origin closes that. Requests without Origin (curl, scripts) carry no ambient
 * browser credentials to abuse.
 */
export function isCrossOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  return origin !== null && !getAccessContext().allowedOrigins.includes(origin);
}
