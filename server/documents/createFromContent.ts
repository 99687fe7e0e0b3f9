// POST /api/documents with a Markdown or HTML body: a new document holding that content.
import { firstHeadingText } from "../../lib/editor/documentFormats.ts";
import { DOCUMENT_TITLE_MAX_CHARS } from "../../lib/documents/documentTitle.ts";
import type { SignedInUser } from "../access/requestAccess.ts";
import { getLiveRooms } from "../collab/liveRooms.ts";
import { checkDocumentTitle, createDocument } from "./documentRepository.ts";
import { creationLimiters } from "./creationLimits.ts";
import { documentJson, errorResponse, jsonResponse, rateLimited, storeUnavailable } from "./documentHttp.ts";
import { contentApplyError, readDocumentBody } from "./contentHttp.ts";
import { replaceContent } from "./replaceContent.ts";

/**
 * Creates a document owned by `user` from the request's Markdown or HTML body: 201 {id, title}.
 * The title is `?title=` when given, else the first heading's text (cut to the title limit),
 * else the default. The body is read and converted before anything is created, so unreadable
 * input (400), another type (415) or a bad title (400) leave nothing behind and spend nothing
 * from the account's creation budget.
 */
export async function createFromContent(request: Request, user: SignedInUser): Promise<Response> {
  const requestedTitle = new URL(request.url).searchParams.get("title");
  if (requestedTitle !== null) {
    const checked = checkDocumentTitle(requestedTitle);
    if (!checked.ok) return errorResponse("invalid_title", checked.message);
  }
  const parsed = await readDocumentBody(request);
  if (!parsed.ok) return parsed.response;
  const title = requestedTitle ?? titleFromHeading(parsed.document);
  const admitted = creationLimiters().documents.take(user.id);
  if (!admitted.ok) return rateLimited("documents", admitted.retryAfterSeconds);
  const created = await createDocument(user.id, title);
  if (!created.ok) return errorResponse(created.code, created.message);
  const { id } = created.value;
  try {
    await replaceContent(getLiveRooms(), id, parsed.document);
  } catch (error) {
    // The document exists (empty): say so, so a script can retry with a PUT to its id.
    const refused = contentApplyError(error);
    if (refused) return refused;
    return storeUnavailable(`content of new document ${id}`, error);
  }
  const { id: createdId, title: createdTitle } = documentJson(created.value);
  return jsonResponse({ id: createdId, title: createdTitle }, 201);
}

/** The first heading as a title, when it makes a valid one; undefined (the default) otherwise. */
function titleFromHeading(document: Parameters<typeof firstHeadingText>[0]): string | undefined {
  const heading = firstHeadingText(document);
  if (heading === null) return undefined;
  const cut = [...heading].slice(0, DOCUMENT_TITLE_MAX_CHARS).join("");
  return checkDocumentTitle(cut).ok ? cut : undefined;
}
