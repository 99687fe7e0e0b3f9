// GET /api/documents/<id>/links: the document's share links (owners only).
// POST /api/documents/<id>/links {role, expiresInDays?}: a new link, 201 {link, url}. The URL
// carries the secret and is returned only here: the server keeps just its hash. Rate limited
// per account (429 with Retry-After).
import { canShare, isGrantableRole } from "@/lib/access/roles";
import { createShareLink, listShareLinks, shareLinkUrl } from "@/server/access/shareLinks";
import { shareLinkJson } from "@/server/access/shareLinkJson";
import { creationLimiters } from "@/server/documents/creationLimits";
import { errorResponse, jsonResponse, rateLimited, readJsonBody } from "@/server/documents/documentHttp";
import { withDocument } from "@/server/documents/withDocument";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Longest expiry offered, in days. */
const MAX_EXPIRY_DAYS = 365;

export const GET = withDocument(canShare, { operation: "share link list" }, async ({ id, context }) => {
  const links = await listShareLinks(context.prisma, id);
  return jsonResponse({ links: links.map(shareLinkJson) });
});

export const POST = withDocument(canShare, { mutation: true, operation: "share link creation" }, async ({ request, id, access, context }) => {
  const body = await readJsonBody(request);
  if (body === null) return errorResponse("bad_request", "Body must be a JSON object.");
  if (!isGrantableRole(body.role)) return errorResponse("bad_request", "role must be viewer, commenter or editor.");
  const days = body.expiresInDays;
  if (days !== undefined && days !== null && !(Number.isInteger(days) && (days as number) >= 1 && (days as number) <= MAX_EXPIRY_DAYS)) {
    return errorResponse("bad_request", `expiresInDays must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}.`);
  }
  // Sharing needs ownership, which only an account has (links never grant it); should that
  // ever change, such callers share one budget per document.
  const accountId = access.user?.id ?? null;
  const admitted = creationLimiters().links.take(accountId ?? `document:${id}`);
  if (!admitted.ok) return rateLimited("share links", admitted.retryAfterSeconds);
  const expiresAt = typeof days === "number" ? new Date(Date.now() + days * 24 * 60 * 60_000) : null;
  const { link, secret } = await createShareLink(context.prisma, {
    documentId: id,
    role: body.role,
    expiresAt,
    createdById: accountId,
  });
  return jsonResponse({ link: shareLinkJson(link), url: shareLinkUrl(context.publicUrl, id, secret) }, 201);
});
