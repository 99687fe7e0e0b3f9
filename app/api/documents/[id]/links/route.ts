// GET /api/documents/<id>/links: the document's share links (owners only).
// POST /api/documents/<id>/links {role, expiresInDays?}: a new link, 201 {link, url}. The URL
// carries the secret and is returned only here: the server keeps just its hash. Rate limited
// per account (429 with Retry-After).
import { z } from "zod";
import { canShare, GRANTABLE_ROLES } from "@/lib/access/roles";
import { createShareLink, listShareLinks, shareLinkUrl } from "@/server/access/shareLinks";
import { shareLinkJson } from "@/server/access/shareLinkJson";
import { creationLimiters } from "@/server/documents/creationLimits";
import { jsonResponse, rateLimited } from "@/server/documents/documentHttp";
import { readBody } from "@/server/http/requestBody";
import { withDocument } from "@/server/documents/withDocument";

/** Longest expiry offered, in days. */
const MAX_EXPIRY_DAYS = 365;

const EXPIRY_MESSAGE = `expiresInDays must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}.`;
const NewLinkBody = z.object(
  {
    role: z.enum(GRANTABLE_ROLES, { error: "role must be viewer, commenter or editor." }),
    expiresInDays: z.int({ error: EXPIRY_MESSAGE }).min(1, { error: EXPIRY_MESSAGE }).max(MAX_EXPIRY_DAYS, { error: EXPIRY_MESSAGE }).nullish(),
  },
  { error: "Body must be a JSON object." },
);

export const GET = withDocument(canShare, { operation: "share link list" }, async ({ id, context }) => {
  const links = await listShareLinks(context.prisma, id);
  return jsonResponse({ links: links.map(shareLinkJson) });
});

export const POST = withDocument(canShare, { mutation: true, operation: "share link creation" }, async ({ request, id, access, context }) => {
  const read = await readBody(request, NewLinkBody);
  if (!read.ok) return read.response;
  const { role, expiresInDays: days } = read.body;
  // Sharing needs ownership, which only an account has (links never grant it); should that
  // ever change, such callers share one budget per document.
  const accountId = access.user?.id ?? null;
  const admitted = creationLimiters().links.take(accountId ?? `document:${id}`);
  if (!admitted.ok) return rateLimited("share links", admitted.retryAfterSeconds);
  const expiresAt = typeof days === "number" ? new Date(Date.now() + days * 24 * 60 * 60_000) : null;
  const { link, secret } = await createShareLink(context.prisma, {
    documentId: id,
    role,
    expiresAt,
    createdById: accountId,
  });
  return jsonResponse({ link: shareLinkJson(link), url: shareLinkUrl(context.publicUrl, id, secret) }, 201);
});
