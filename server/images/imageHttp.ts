// HTTP side of document images (POST /api/documents/<id>/images, GET .../images/<imageId>):
// reading an upload within its size limit, the refusals particular to images (413, 415), and
// the response that serves one, in the API's `{ error: { code, message } }` shape.
import { imageTypeOf, type RefusedImage } from "./sniffImageType.ts";
import type { StoredImage } from "./imageRepository.ts";
import { imageTooLargeMessage } from "./uploadSize.ts";
import { errorResponse } from "../documents/documentHttp.ts";

/** An image's bytes never change under its URL, so browsers may keep it for a year; private,
 *  because it is served only after the document's access check, never to a shared cache. */
const IMAGE_CACHE_CONTROL = "private, max-age=31536000, immutable";

/** `{ error }` with a status documentHttp's codes do not cover. */
function imageError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });
}

/** 413 for an upload past `maxBytes`. */
export function imageTooLarge(maxBytes: number): Response {
  return imageError(413, "too_large", imageTooLargeMessage(maxBytes));
}

/** 415 naming what is accepted, and why SVG is not. */
export function unsupportedImage({ refused }: RefusedImage): Response {
  return imageError(
    415,
    "unsupported_media_type",
    refused === "svg"
      ? "SVG images are not accepted: they can carry scripts. Export the drawing as PNG and upload that."
      : "Only PNG, JPEG, GIF and WebP images can be added (recognised by their content, not their name).",
  );
}

export type UploadBody = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; response: Response };

/**
 * The upload's bytes, read up to `maxBytes`: 413 as soon as the declared length or what has
 * arrived passes it (the rest is never read), 415 for a form (the body is the image itself),
 * 400 for no body. The server's body limit refuses most too-large uploads before this runs;
 * this holds for a handler reached another way.
 */
export async function readUploadBody(request: Request, maxBytes: number): Promise<UploadBody> {
  const refuse = async (response: Response): Promise<UploadBody> => {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, response };
  };
  if ((request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    return refuse(imageError(415, "unsupported_media_type", "Send the image's bytes as the request body, not as a form (multipart/form-data)."));
  }
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return refuse(imageTooLarge(maxBytes));
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.length;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, response: imageTooLarge(maxBytes) };
    }
    chunks.push(value);
  }
  if (received === 0) return { ok: false, response: errorResponse("bad_request", "The request has no image: send the image's bytes as the body.") };
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes };
}

/** The file name an image is served under: its id and its real extension (never a name the
 *  uploader chose, which would need escaping in a header and could lie about the type). */
function fileName(image: Pick<StoredImage, "id" | "contentType">): string {
  return `${image.id}.${imageTypeOf(image.contentType)?.extension ?? "bin"}`;
}

/** True when the request's If-None-Match names `etag` (or is *). */
function notModified(request: Request, etag: string): boolean {
  const header = request.headers.get("if-none-match");
  if (!header) return false;
  return header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * An image as served: its sniffed type, nosniff (a browser must never read the bytes as
 * anything else, e.g. HTML), inline with our file name, cached privately with its SHA-256 as
 * ETag (304 when the browser has it already), and not embeddable by other sites.
 */
export function imageResponse(request: Request, image: StoredImage): Response {
  const etag = `"${image.sha256}"`;
  const headers: Record<string, string> = {
    "cache-control": IMAGE_CACHE_CONTROL,
    etag,
    "x-content-type-options": "nosniff",
    "cross-origin-resource-policy": "same-origin",
    "content-disposition": `inline; filename="${fileName(image)}"`,
  };
  if (notModified(request, etag)) return new Response(null, { status: 304, headers });
  return new Response(image.bytes, {
    status: 200,
    headers: { ...headers, "content-type": image.contentType, "content-length": String(image.byteSize) },
  });
}

/** The JSON an upload answers with (201): where the image now lives. */
export function uploadedImageJson(image: Pick<StoredImage, "id" | "contentType" | "byteSize">, src: string): { id: string; src: string; contentType: string; byteSize: number } {
  return { id: image.id, src, contentType: image.contentType, byteSize: image.byteSize };
}
