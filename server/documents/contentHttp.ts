// HTTP side of the content API (GET/PUT /api/documents/<id>/content, and POST /api/documents
// with a Markdown or HTML body): which format a request speaks, reading its body, and the
// answers particular to content (415, 413), in the API's `{ error: { code, message } }` shape.
// Types only: the converters themselves (Tiptap, happy-dom) load in the conversion workers.
import type { DocumentFormat, InputFormat } from "../../lib/editor/documentFormats.ts";
import { conversionErrorCode } from "./conversion/conversionErrors.ts";
import { MAX_REQUEST_BODY_BYTES } from "../http/limitRequestBody.ts";
import { CloseError } from "../collab/CloseError.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import { errorResponse } from "./documentHttp.ts";

/** Media types a document can be written from, and the format each is. */
const INPUT_MEDIA_TYPES: Record<string, InputFormat> = {
  "text/markdown": "markdown",
  "text/html": "html",
};

/** Media type of each output format (UTF-8 throughout). */
const OUTPUT_MEDIA_TYPES: Record<DocumentFormat, string> = {
  markdown: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  json: "application/json; charset=utf-8",
};

/** The format of a request's body by its Content-Type (charset UTF-8 or none), or null. */
export function requestInputFormat(request: Request): InputFormat | null {
  const [mediaType, ...parameters] = (request.headers.get("content-type") ?? "").split(";").map((part) => part.trim().toLowerCase());
  const format = INPUT_MEDIA_TYPES[mediaType];
  if (!format) return null;
  const charset = parameters.find((parameter) => parameter.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "");
  return charset === undefined || charset === "utf-8" || charset === "utf8" ? format : null;
}

/** `{ error }` with a status documentHttp's codes do not cover. */
function contentError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });
}

/** 415 naming what is accepted. */
export function unsupportedContentType(): Response {
  return contentError(
    415,
    "unsupported_media_type",
    "Send the content as Content-Type: text/markdown or text/html (UTF-8).",
  );
}

/** 413 for a body past the request limit. The server's limitRequestBody answers this before
 *  any handler runs; this is for a handler reached some other way (tests, another server). */
export function bodyTooLarge(): Response {
  return contentError(413, "too_large", `The body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.`);
}

export type ContentBody =
  | { ok: true; format: InputFormat; body: Uint8Array }
  | { ok: false; response: Response };

/** Reads a Markdown or HTML body as bytes: 415 for another type, 413 past the limit. It is
 *  decoded (UTF-8) and parsed in a conversion worker, not here. */
export async function readContentBody(request: Request): Promise<ContentBody> {
  const format = requestInputFormat(request);
  if (!format) return { ok: false, response: unsupportedContentType() };
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.length > MAX_REQUEST_BODY_BYTES) return { ok: false, response: bodyTooLarge() };
  return { ok: true, format, body };
}

/** Seconds a client is asked to wait when every converter is busy. */
export const CONVERSION_RETRY_AFTER_SECONDS = 1;

/** The answer for a ConversionError: 400 for input that is not a document of our schema
 *  (with the converter's reason), 503 with Retry-After when the converters are all busy, 500
 *  when one stopped. Null for any other error. */
export function conversionErrorResponse(error: unknown): Response | null {
  switch (conversionErrorCode(error)) {
    case "unreadable":
      return errorResponse("bad_request", (error as Error).message);
    case "busy": {
      const response = contentError(503, "busy", (error as Error).message);
      response.headers.set("retry-after", String(CONVERSION_RETRY_AFTER_SECONDS));
      return response;
    }
    case "failed":
      return contentError(500, "conversion_failed", (error as Error).message);
    case null:
      return null;
  }
}

/** The answer for an error thrown while applying content to a live document: 413 past the
 *  document size limit (the same limit a client's update meets), otherwise null. */
export function contentApplyError(error: unknown): Response | null {
  if (error instanceof CloseError && error.code === CloseCode.TOO_LARGE) {
    return contentError(413, "document_too_large", "The document would exceed its size limit.");
  }
  return null;
}

/** The `format` query parameter (markdown when absent), or null when it is not one we serve. */
export function requestOutputFormat(request: Request): DocumentFormat | null {
  const format = new URL(request.url).searchParams.get("format") ?? "markdown";
  return Object.hasOwn(OUTPUT_MEDIA_TYPES, format) ? (format as DocumentFormat) : null;
}

/** A 200 carrying the document in `format`. The HTML is a fragment built only from the
 *  schema's own elements (and links only with safe hrefs), so it is safe to open as it is. */
export function contentResponse(format: DocumentFormat, body: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": OUTPUT_MEDIA_TYPES[format],
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
