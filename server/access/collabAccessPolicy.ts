// The collab server's access policy for real deployments: an upgrade is let in by a session
// cookie (same origin only) or a share link's `?token=`, with the strongest role they give
// on the document; its awareness identity comes from the account, or for a link's guest
// from the display name it chose, marked "(guest)" so it cannot pass for an account.
import type { IncomingMessage } from "node:http";
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/Database.ts";
import type { Auth } from "../auth/createAuth.ts";
import type { Authorization, AwarenessIdentity, CollabAccessPolicy, Grant } from "../collab/access.ts";
import { colorForId, normalizeUserName } from "../../lib/editor/userIdentity.ts";
import { isDocumentTrashed, principalRole, refreshPrincipal, type Principal } from "./documentRole.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import { findLiveShareLink } from "./shareLinks.ts";
import type { AccessChanges } from "./AccessChanges.ts";

export interface CollabAccessPolicyOptions {
  prisma: PrismaClient;
  auth: Auth;
  /** Origins a browser may open a socket from (PUBLIC_URL and its loopback aliases). */
  allowedOrigins: readonly string[];
  changes: AccessChanges;
}

export function createCollabAccessPolicy(options: CollabAccessPolicyOptions): CollabAccessPolicy {
  const { prisma, auth, allowedOrigins, changes } = options;

  async function authorize(request: IncomingMessage, documentId: string): Promise<Authorization> {
    // Browsers always send Origin on a WebSocket; a page elsewhere must not ride on our
    // cookie (cross-site WebSocket hijacking). Clients outside a browser send none.
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins.includes(origin)) {
      return { ok: false, status: 403, reason: `origin ${origin} not allowed` };
    }
    const params = new URL(request.url ?? "/", "http://collab.invalid").searchParams;
    const token = params.get("token");
    const link = token === null ? null : await findLiveShareLink(prisma, token);
    if (token !== null && !link) return { ok: false, status: 401, reason: "unknown, expired or revoked link" };

    let user: { id: string; name: string } | null = null;
    let sessionId: string | undefined;
    if (request.headers.cookie) {
      const session = await auth.api.getSession({ headers: new Headers({ cookie: request.headers.cookie }) });
      if (session) {
        user = { id: session.user.id, name: session.user.name };
        sessionId = session.session.id;
      }
    }
    if (!user && !link) return { ok: false, status: 401, reason: "no session and no link" };

    const principal: Principal = { userId: user?.id ?? null, link };
    const role = await principalRole(prisma, principal, documentId);
    if (role === null) return { ok: false, status: 403, reason: "no access to this document" };
    if (await isDocumentTrashed(prisma, documentId)) return { ok: false, status: 410, reason: "document in trash" };

    let current = principal;
    const identity = user ? accountIdentity(user) : guestIdentity(params.get("name"));
    const grant: Grant = {
      role,
      identity,
      // A guest's awareness id is new on every connection, so guests are told apart by link:
      // all guests of one link are one author, and may continue each other's client ids.
      author: user ? { key: user.id, userId: user.id, name: identity.name } : { key: `link:${link!.id}`, userId: null, name: identity.name },
      ...(user ? { accountId: user.id } : {}),
      expiresAt: linkExpiry(principal, documentId),
      ...(sessionId ? { sessionId } : {}),
      async recheck() {
        current = await refreshPrincipal(prisma, current);
        // An expired or revoked link drops out of the principal: no more expiry to watch.
        grant.expiresAt = linkExpiry(current, documentId);
        if (!current.userId && !current.link) return null;
        const [role, trashed] = await Promise.all([principalRole(prisma, current, documentId), isDocumentTrashed(prisma, documentId)]);
        // Owners too: a document in Trash is closed for everyone until it is restored.
        if (role !== null && trashed) return { closeCode: CloseCode.DOCUMENT_TRASHED, reason: "document in trash" };
        return role;
      },
    };
    return { ok: true, grant };
  }

  async function liveSessions(sessionIds: string[]): Promise<Set<string>> {
    const rows = await prisma.session.findMany({
      where: { id: { in: sessionIds }, expiresAt: { gt: new Date() } },
      select: { id: true },
    });
    return new Set(rows.map((row) => row.id));
  }

  return {
    authorize,
    onChange: (listener) => changes.subscribe(listener),
    liveSessions,
  };
}

/**
 * When the socket must be re-checked because the link it presented expires: for a guest, and
 * for a signed-in account too, whatever its own role. An account whose own role is at least as
 * strong as the link's keeps its socket at that re-check (nothing is lost), so no expiry would
 * be needed if its role never changed; but it can change while the socket is open, and not
 * always with a notification (the admin command line changes workspace roles from another
 * process), so the decision is taken at the expiry with the roles of that moment, at the cost
 * of one re-check per socket.
 */
function linkExpiry(principal: Principal, documentId: string): number | null {
  const { link } = principal;
  return link?.expiresAt && link.documentId === documentId ? link.expiresAt.getTime() : null;
}

function accountIdentity(user: { id: string; name: string }): AwarenessIdentity {
  // Names are bounded at sign-up; an account made before that bound still gets a short one.
  return { id: user.id, name: normalizeUserName(user.name) ?? "Unnamed", color: colorForId(user.id) };
}

/** Maximum characters of a guest's chosen name, before the " (guest)" mark. */
const GUEST_NAME_MAX = 30;

export function guestIdentity(requestedName: string | null): AwarenessIdentity {
  const id = `guest-${randomBytes(6).toString("hex")}`;
  const chosen = requestedName ? normalizeUserName(requestedName)?.slice(0, GUEST_NAME_MAX).trim() : null;
  return { id, name: `${chosen || "Guest"} (guest)`, color: colorForId(id) };
}
