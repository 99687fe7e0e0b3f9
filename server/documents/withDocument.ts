// The one wrapper of the /api/documents/<id>/... route handlers: it awaits the route's params,
// runs the document guard (origin, id, access, Trash) and answers a thrown failure, so each
// handler holds only what is particular to it.
//
// Segment config, for every route handler and page: no `runtime` export (Node.js is Next's
// default, and server/main.ts serves everything from one Node process) and no `dynamic` export,
// except where a page reads nothing of the request. Next renders such a page once, at build
// time, and serves that copy from then on. Route handlers run per request (Next 15 on), unless
// `cacheComponents` is turned on: then a GET handler that reads nothing of the request is
// rendered at build time too. Every GET handler here reads the request first (this guard reads
// the session cookie and the share token; the others call requestUser or guardAdminRequest), so
// it stays per request either way. A page that reads no header, cookie or search param must
// export `dynamic = "force-dynamic"` (as app/forgot-password/page.tsx does); a new GET handler
// should read the request before anything else, as these do.
import type { Role } from "../../lib/access/roles.ts";
import { getAccessContext, type AccessContext } from "../access/accessContext.ts";
import type { DocumentAccess } from "../access/requestAccess.ts";
import { guardDocumentRequest, storeUnavailable, type DocumentRouteContext } from "./documentHttp.ts";

/** What a document route's handler is given once the guard let the request through. */
export interface DocumentCall<Extra extends Record<string, string> = Record<never, never>> {
  request: Request;
  /** The document's id, checked by the guard. */
  id: string;
  /** The params of nested segments (`{ linkId }`), unchecked: the handler checks them. */
  params: Extra;
  access: DocumentAccess;
  /** The process's services: the database, auth, access changes, mail. */
  context: AccessContext;
}

export interface DocumentRouteOptions {
  /** A state-changing request: refused from another origin. */
  mutation?: boolean;
  /** A share link's token (x-share-token or ?token=) grants its role too. */
  withShareToken?: boolean;
  /** Restore and delete-forever reach a document in Trash; everything else answers 410. */
  allowTrashed?: boolean;
  /** Names the request in the log when it fails ("<operation> failed"). */
  operation: string;
  /** The answer to a failure particular to the route (a busy converter, a missing version);
   *  null for any other, which is taken for the database being unavailable (503). */
  failure?: (error: unknown) => Response | null;
}

/**
 * A route handler for /api/documents/<id>/...: `allowed` decides by the caller's role (401 or
 * 403 otherwise), then `handler` answers. A failure the handler throws answers 503 with
 * Retry-After (`options.failure` first): an outage is expected in operation and must not
 * surface as a 500.
 */
export function withDocument<Extra extends Record<string, string> = Record<never, never>>(
  allowed: (role: Role | null) => boolean,
  options: DocumentRouteOptions,
  handler: (call: DocumentCall<Extra>) => Promise<Response>,
): (request: Request, route: DocumentRouteContext<Extra>) => Promise<Response> {
  const { operation, failure, ...guardOptions } = options;
  return async (request, route) => {
    const { id, ...params } = await route.params;
    const guard = await guardDocumentRequest(request, id, allowed, guardOptions);
    if (!guard.ok) return guard.response;
    try {
      return await handler({ request, id, params: params as unknown as Extra, access: guard.access, context: getAccessContext() });
    } catch (error) {
      return failure?.(error) ?? storeUnavailable(operation, error);
    }
  };
}

/** Any role at all: whoever may open the document. */
export function anyRole(role: Role | null): boolean {
  return role !== null;
}
