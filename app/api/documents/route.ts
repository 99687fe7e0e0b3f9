// GET /api/documents[?cursor=&limit=]: one page of the documents the signed-in account can
// open (newest first), {documents, nextCursor}; pass nextCursor back for the next page (null
// after the last). GET /api/documents?trash=1[&cursor=&limit=]: the same for the caller's Trash
// (documents it owns, every one for an admin), most recently trashed first, with trashedAt.
// POST /api/documents: create one owned by the signed-in account, 201 {id, title}; rate
// limited per account (429 with Retry-After). A text/markdown or text/html body becomes its
// content (title: ?title=, else the first heading); a JSON body may give {title}.
import { isCrossOrigin } from "@/server/access/requestAccess";
import {
  checkDocumentTitle,
  createDocument,
  DOCUMENT_PAGE_SIZE,
  listDocuments,
  MAX_DOCUMENT_PAGE_SIZE,
} from "@/server/documents/documentRepository";
import { decodeDocumentListCursor, encodeDocumentListCursor } from "@/server/documents/documentListCursor";
import { creationLimiters } from "@/server/documents/creationLimits";
import { requestInputFormat } from "@/server/documents/contentHttp";
import { createFromContent } from "@/server/documents/createFromContent";
import { listTrash } from "@/server/documents/documentTrash";
import {
  crossOriginRefused,
  accessDenied,
  documentJson,
  errorResponse,
  jsonResponse,
  rateLimited,
  readJsonBody,
  requestUser,
} from "@/server/documents/documentHttp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const PAGE_SIZE_PATTERN = /^\d{1,4}$/;

export async function GET(request: Request): Promise<Response> {
  const signedIn = await requestUser(request);
  if (!signedIn.ok) return signedIn.response;
  const user = signedIn.user;
  if (!user) return accessDenied(false);
  const query = new URL(request.url).searchParams;
  const cursorText = query.get("cursor");
  const cursor = cursorText === null ? null : decodeDocumentListCursor(cursorText);
  if (cursorText !== null && !cursor) return errorResponse("bad_request", "cursor must be a nextCursor this API returned.");
  const limitText = query.get("limit");
  const pageSize = limitText === null ? DOCUMENT_PAGE_SIZE : PAGE_SIZE_PATTERN.test(limitText) ? Number(limitText) : NaN;
  if (!(pageSize >= 1 && pageSize <= MAX_DOCUMENT_PAGE_SIZE)) {
    return errorResponse("bad_request", `limit must be a whole number from 1 to ${MAX_DOCUMENT_PAGE_SIZE}.`);
  }
  const trash = query.get("trash");
  if (trash !== null && trash !== "1") return errorResponse("bad_request", "trash must be 1 when given.");
  if (trash === "1") {
    const trashed = await listTrash(user.id, { cursor, pageSize });
    if (!trashed.ok) return errorResponse(trashed.code, trashed.message);
    return jsonResponse({
      documents: trashed.value.documents.map((d) => ({
        id: d.id,
        title: d.title,
        updatedAt: d.updatedAt.toISOString(),
        trashedAt: d.trashedAt.toISOString(),
      })),
      nextCursor: trashed.value.nextCursor ? encodeDocumentListCursor(trashed.value.nextCursor) : null,
    });
  }
  const result = await listDocuments(user.id, { cursor, pageSize });
  if (!result.ok) return errorResponse(result.code, result.message);
  const { documents, nextCursor } = result.value;
  return jsonResponse({
    documents: documents.map((d) => ({ id: d.id, title: d.title, updatedAt: d.updatedAt.toISOString() })),
    nextCursor: nextCursor ? encodeDocumentListCursor(nextCursor) : null,
  });
}

export async function POST(request: Request): Promise<Response> {
  if (isCrossOrigin(request)) return crossOriginRefused();
  const signedIn = await requestUser(request);
  if (!signedIn.ok) return signedIn.response;
  const user = signedIn.user;
  if (!user) return accessDenied(false);
  // A Markdown or HTML body is imported as the new document's content (the content API).
  if (requestInputFormat(request)) return createFromContent(request, user);
  const body = await readJsonBody(request);
  if (body === null) return errorResponse("bad_request", "Body must be a JSON object.");
  // Only a request that would create something spends from the account's budget.
  if (body.title !== undefined) {
    const checked = checkDocumentTitle(body.title);
    if (!checked.ok) return errorResponse("invalid_title", checked.message);
  }
  const admitted = creationLimiters().documents.take(user.id);
  if (!admitted.ok) return rateLimited("documents", admitted.retryAfterSeconds);
  const result = await createDocument(user.id, body.title);
  if (!result.ok) return errorResponse(result.code, result.message);
  const document = documentJson(result.value);
  return jsonResponse(document, 201);
}
