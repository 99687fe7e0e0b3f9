// JSON shapes and error responses of the documents REST API (app/api/documents/...).
import { log } from "../log.ts";
import { ServerEdit } from "../collab/ServerEdit.ts";
import { checkDocumentTitle, getDocument, renameDocument, type DocumentErrorCode, type DocumentSummary } from "./documentRepository.ts";
import { isValidDocumentId } from "../../lib/documentId.ts";
import type { Role } from "../../lib/access/roles.ts";
import { currentUser, documentAccess, isCrossOrigin, requestShareToken, type DocumentAccess, type SignedInUser } from "../access/requestAccess.ts";
import { containsControlCharacter } from "../../lib/text/controlCharacters.ts";
import { getLiveRooms } from "../collab/liveRooms.ts";
import { setLiveTitle } from "./setLiveTitle.ts";

/** Error codes the API returns besides the repository's own. */
export type ApiErrorCode = DocumentErrorCode | "bad_request" | "unauthenticated" | "forbidden" | "rate_limited" | "in_trash" | "conflict";

const STATUS_BY_CODE: Record<ApiErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  invalid_id: 400,
  invalid_title: 400,
  not_found: 404,
  not_in_trash: 409,
  conflict: 409,
  in_trash: 410,
  rate_limited: 429,
  unavailable: 503,
};

/** The second argument of a /api/documents/<id>/... handler; Next 16 passes the route's
 *  params as a Promise. `Extra`: the params of nested segments (`{ linkId: string }`). */
export interface DocumentRouteContext<Extra extends Record<string, string> = Record<never, never>> {
  params: Promise<{ id: string } & Extra>;
}

/** Responses must never be cached: titles change and lists grow. */
const NO_STORE = { "cache-control": "no-store" } as const;

/** `{ error: { code, message } }` with the status matching `code`; `retryAfterSeconds` sets
 *  Retry-After (a database outage always gets one). */
export function errorResponse(code: ApiErrorCode, message: string, retryAfterSeconds?: number): Response {
  const headers: Record<string, string> = { ...NO_STORE };
  // Tell clients when to retry after a database outage or a rate limit.
  const retryAfter = retryAfterSeconds ?? (code === "unavailable" ? 2 : undefined);
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  return Response.json({ error: { code, message } }, { status: STATUS_BY_CODE[code], headers });
}

/** 429 for an account creating things faster than its limit (server/documents/creationLimits.ts). */
export function rateLimited(what: string, retryAfterSeconds: number): Response {
  return errorResponse(
    "rate_limited",
    `Too many ${what} created in a short time; try again in ${retryAfterSeconds} s.`,
    retryAfterSeconds,
  );
}

/** A text input that must not reach the database: PostgreSQL refuses NUL in text (which would
 *  surface as a 500), and no email, id or name legitimately holds a control character. Returns
 *  the 400 to answer, or null when `value` is fine (or not a string: callers check types). */
export function refuseControlCharacters(field: string, value: unknown): Response | null {
  if (typeof value !== "string" || !containsControlCharacter(value)) return null;
  return errorResponse("bad_request", controlCharactersMessage(field));
}

export function controlCharactersMessage(field: string): string {
  return `${field} must not contain control characters (line breaks, tabs, NUL and the like).`;
}

/** A successful JSON response that is never cached. */
export function jsonResponse(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

/** The wire form of a document: dates as ISO strings. */
export function documentJson(document: DocumentSummary): {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
} {
  return {
    id: document.id,
    title: document.title,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
  };
}

/** Parses a JSON request body; an empty body yields `{}`. Returns null when malformed. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown> | null> {
  const text = await request.text();
  if (text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** 503 (with Retry-After) for a request the database could not answer, logged: an outage
 *  is expected in operation, and must not surface as a 500 from a thrown lookup. */
export function storeUnavailable(operation: string, error: unknown): Response {
  log.error(`${operation} failed`, { area: "documents", error });
  return errorResponse("unavailable", "The document store is unavailable; try again shortly.");
}

/** The signed-in account (null: nobody), or the 503 to answer when the session lookup (the
 *  first query of most requests, so where an outage shows first) fails. */
export async function requestUser(request: Request): Promise<{ ok: true; user: SignedInUser | null } | { ok: false; response: Response }> {
  try {
    return { ok: true, user: await currentUser(request.headers) };
  } catch (error) {
    return { ok: false, response: storeUnavailable("session lookup", error) };
  }
}

/** 401 when nobody is signed in (and no link), 403 when the role is not enough. */
export function accessDenied(signedInOrLinked: boolean): Response {
  return signedInOrLinked
    ? errorResponse("forbidden", "You do not have permission to do this.")
    : errorResponse("unauthenticated", "Sign in first.");
}

/** 410 for a request about a document in Trash (links and roles are suspended until it is restored). */
export function documentInTrash(): Response {
  return errorResponse("in_trash", "This document is in the Trash. Its owner can restore it from the Trash.");
}

/** 403 for a state-changing request from another origin (see isCrossOrigin). */
export function crossOriginRefused(): Response {
  return errorResponse("forbidden", "Cross-origin requests are not allowed.");
}

/**
 * The guard every /api/documents/<id>/... handler starts with: a state-changing request from
 * another origin is refused, the id is checked, the caller's access is resolved (their
 * session, and the share token when `withShareToken`), and `allowed` decides; a document in
 * Trash is refused (410) unless `allowTrashed` (restore, delete forever). Returns the access,
 * or the response that refuses the request.
 */
export async function guardDocumentRequest(
  request: Request,
  id: string,
  allowed: (role: Role | null) => boolean,
  { mutation = false, withShareToken = false, allowTrashed = false } = {},
): Promise<{ ok: true; access: DocumentAccess } | { ok: false; response: Response }> {
  if (mutation && isCrossOrigin(request)) return { ok: false, response: crossOriginRefused() };
  if (!isValidDocumentId(id)) return { ok: false, response: errorResponse("invalid_id", "Invalid document id.") };
  let access: DocumentAccess;
  try {
    access = await documentAccess(request.headers, id, withShareToken ? requestShareToken(request) : null);
  } catch (error) {
    return { ok: false, response: storeUnavailable("access check", error) };
  }
  if (!allowed(access.role)) return { ok: false, response: accessDenied(access.user !== null || access.link !== null) };
  // After the role check, so that outsiders do not learn that a document exists (or is in Trash).
  if (access.trashed && !allowTrashed) return { ok: false, response: documentInTrash() };
  return { ok: true, access };
}

/**
 * PATCH /api/documents/<id> {title} once the caller may edit: the title is checked (400), the
 * document must exist (404; checked before anything is written, so a deleted document is never
 * brought back by its update log), then the rename goes into the live Y.Doc, where connected
 * editors see it, and into the row, so the answer and the lists have it at once (the projection
 * would write the same a moment later).
 */
export async function renameLiveDocument(id: string, rawTitle: unknown, editorAccountId: string | null): Promise<Response> {
  const checked = checkDocumentTitle(rawTitle);
  if (!checked.ok) return errorResponse("invalid_title", checked.message);
  const existing = await getDocument(id);
  if (!existing.ok) return errorResponse(existing.code, existing.message);
  try {
    await setLiveTitle(getLiveRooms(), id, checked.title, new ServerEdit("title-api", editorAccountId));
  } catch (error) {
    return storeUnavailable("live rename", error);
  }
  const result = await renameDocument(id, checked.title);
  if (!result.ok) return errorResponse(result.code, result.message);
  return jsonResponse(documentJson(result.value));
}
