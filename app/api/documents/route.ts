// GET /api/documents[?sort=updated|title&filter=all|owned|shared&cursor=&limit=]: one page of
// the documents the signed-in account can open (last edited first, or by title; all of them,
// those it owns, or those shared with it), {documents: [{id, title, updatedAt, owner,
// lastEditor}], nextCursor}; pass nextCursor back (with the same sort) for the next page (null
// after the last). GET /api/documents?q=<text>[&filter=&cursor=&limit=]: full-text search over
// the same documents' titles and content, best first, each with its title and a snippet of its
// content as parts [{text, match}] (matches to be shown marked; text, never HTML), and capped
// (true: the query matched so many documents that only the first SEARCH_CANDIDATES were ranked). GET /api/documents?trash=1[&cursor=&limit=]: the same for the caller's Trash
// (documents it owns, every one for an admin), most recently trashed first, with trashedAt.
// POST /api/documents: create one owned by the signed-in account, 201 {id, title}; rate
// limited per account (429 with Retry-After). A text/markdown or text/html body becomes its
// content (title: ?title=, else the first heading); a JSON body may give {title}.
import { isCrossOrigin } from "@/server/access/requestAccess";
import { ServerEdit } from "@/server/collab/ServerEdit";
import {
  checkDocumentTitle,
  createDocument,
  DOCUMENT_FILTERS,
  DOCUMENT_PAGE_SIZE,
  DOCUMENT_SORTS,
  listDocuments,
  MAX_DOCUMENT_PAGE_SIZE,
  type ListedDocument,
} from "@/server/documents/documentRepository";
import {
  decodeDocumentListCursor,
  decodePageCursor,
  decodeRankCursor,
  encodeDocumentListCursor,
  encodePageCursor,
  encodeRankCursor,
} from "@/server/documents/documentListCursor";
import { SEARCH_PAGE_SIZE, searchDocuments } from "@/server/documents/searchDocuments";
import { MAX_SEARCH_QUERY_CHARS } from "@/server/documents/searchQuery";
import { creationLimiters } from "@/server/documents/creationLimits";
import { requestInputFormat } from "@/server/documents/contentHttp";
import { createFromContent } from "@/server/documents/createFromContent";
import { listTrash } from "@/server/documents/documentTrash";
import { getLiveRooms } from "@/server/collab/liveRooms";
import { setLiveTitle } from "@/server/documents/setLiveTitle";
import { anyObject, readBody } from "@/server/http/requestBody";
import {
  crossOriginRefused,
  accessDenied,
  documentJson,
  errorResponse,
  jsonResponse,
  rateLimited,
  requestUser,
  storeUnavailable,
} from "@/server/documents/documentHttp";

const PAGE_SIZE_PATTERN = /^\d{1,4}$/;

export async function GET(request: Request): Promise<Response> {
  const signedIn = await requestUser(request);
  if (!signedIn.ok) return signedIn.response;
  const user = signedIn.user;
  if (!user) return accessDenied(false);
  const query = new URL(request.url).searchParams;
  const limitText = query.get("limit");
  const q = query.get("q");
  const defaultPageSize = q === null ? DOCUMENT_PAGE_SIZE : SEARCH_PAGE_SIZE;
  const pageSize = limitText === null ? defaultPageSize : PAGE_SIZE_PATTERN.test(limitText) ? Number(limitText) : NaN;
  if (!(pageSize >= 1 && pageSize <= MAX_DOCUMENT_PAGE_SIZE)) {
    return errorResponse("bad_request", `limit must be a whole number from 1 to ${MAX_DOCUMENT_PAGE_SIZE}.`);
  }
  const filter = query.get("filter") ?? "all";
  if (!isOneOf(DOCUMENT_FILTERS, filter)) return errorResponse("bad_request", `filter must be one of ${DOCUMENT_FILTERS.join(", ")}.`);
  const trash = query.get("trash");
  if (trash !== null && trash !== "1") return errorResponse("bad_request", "trash must be 1 when given.");
  const cursorText = query.get("cursor");
  const badCursor = () => errorResponse("bad_request", "cursor must be a nextCursor this API returned for the same sort.");

  if (trash === "1") {
    if (q !== null || query.has("sort") || query.has("filter")) {
      return errorResponse("bad_request", "trash=1 lists the Trash; it takes no q, sort or filter.");
    }
    const cursor = cursorText === null ? null : decodeDocumentListCursor(cursorText);
    if (cursorText !== null && !cursor) return badCursor();
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

  if (q !== null) {
    if (query.has("sort")) return errorResponse("bad_request", "Search results are ranked; sort applies to the list only.");
    if (q.trim() === "") return errorResponse("bad_request", "q must not be empty.");
    if ([...q].length > MAX_SEARCH_QUERY_CHARS) {
      return errorResponse("bad_request", `q must be at most ${MAX_SEARCH_QUERY_CHARS} characters.`);
    }
    const cursor = cursorText === null ? null : decodeRankCursor(cursorText);
    if (cursorText !== null && !cursor) return badCursor();
    const found = await searchDocuments(user.id, q, { cursor, pageSize, filter });
    if (!found.ok) return errorResponse(found.code, found.message);
    return jsonResponse({
      documents: found.value.documents.map((d) => ({ ...listedJson(d), titleParts: d.titleParts, snippet: d.snippet })),
      nextCursor: found.value.nextCursor ? encodeRankCursor(found.value.nextCursor) : null,
      capped: found.value.capped,
    });
  }

  const sort = query.get("sort") ?? "updated";
  if (!isOneOf(DOCUMENT_SORTS, sort)) return errorResponse("bad_request", `sort must be one of ${DOCUMENT_SORTS.join(", ")}.`);
  const cursor = cursorText === null ? null : decodePageCursor(cursorText, sort);
  if (cursorText !== null && !cursor) return badCursor();
  const result = await listDocuments(user.id, { cursor, pageSize, sort, filter });
  if (!result.ok) return errorResponse(result.code, result.message);
  const { documents, nextCursor } = result.value;
  return jsonResponse({
    documents: documents.map(listedJson),
    nextCursor: nextCursor ? encodePageCursor(nextCursor) : null,
  });
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** A listed document on the wire: owner and last editor as {id, name} or null. */
function listedJson(d: ListedDocument) {
  return { id: d.id, title: d.title, updatedAt: d.updatedAt.toISOString(), owner: d.owner, lastEditor: d.lastEditor };
}

export async function POST(request: Request): Promise<Response> {
  if (isCrossOrigin(request)) return crossOriginRefused();
  const signedIn = await requestUser(request);
  if (!signedIn.ok) return signedIn.response;
  const user = signedIn.user;
  if (!user) return accessDenied(false);
  // A Markdown or HTML body is imported as the new document's content (the content API).
  if (requestInputFormat(request)) return createFromContent(request, user);
  // The title's own rules (and their error code, invalid_title) are the repository's.
  const read = await readBody(request, anyObject("Body must be a JSON object."));
  if (!read.ok) return read.response;
  const body = read.body;
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
  // The title lives in the Y.Doc (lib/editor/documentTitleText.ts); the default one is empty there.
  if (body.title !== undefined) {
    try {
      await setLiveTitle(getLiveRooms(), document.id, document.title, new ServerEdit("title-api", user.id));
    } catch (error) {
      return storeUnavailable(`title of new document ${document.id}`, error);
    }
  }
  return jsonResponse(document, 201);
}
