// Request bodies are bounded before anything (Next, Better Auth, route handlers) reads them:
// a body declared or streamed past the limit is answered 413 and the connection closed,
// without buffering or reading the rest. Without this, one 150 MB POST ran the process out
// of heap, and four 400 MB sign-in bodies held 5.9 GB.
import type { IncomingMessage } from "node:http";
import { refuseRequest } from "./refuseRequest.ts";
import { imageTooLargeMessage } from "../images/uploadSize.ts";

/** Largest request body of the JSON APIs (documents, links, members, auth). */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** The one route whose body may be larger: an image upload, POST /api/documents/<id>/images,
 *  matched exactly (no trailing slash, no dots, no encoded characters), so no other path can
 *  borrow its limit. */
const IMAGE_UPLOAD_PATH = /^\/api\/documents\/[A-Za-z0-9_-]{1,64}\/images$/;

/** A body limit and the message of its 413. */
export interface BodyLimit {
  maxBytes: number;
  tooLargeMessage: string;
}

/** The body limit of a request: MAX_UPLOAD_BYTES (`maxUploadBytes`) for an image upload,
 *  MAX_REQUEST_BODY_BYTES for everything else. */
export function requestBodyLimit(method: string | undefined, path: string, maxUploadBytes: number): BodyLimit {
  if (method === "POST" && IMAGE_UPLOAD_PATH.test(path)) return { maxBytes: maxUploadBytes, tooLargeMessage: imageTooLargeMessage(maxUploadBytes) };
  return { maxBytes: MAX_REQUEST_BODY_BYTES, tooLargeMessage: `Request body larger than ${MAX_REQUEST_BODY_BYTES} bytes.` };
}

/** True when the request carries a body at all (a length, or chunked transfer encoding). */
function hasBody(request: IncomingMessage): boolean {
  return request.headers["transfer-encoding"] !== undefined || (request.headers["content-length"] ?? "0") !== "0";
}

/**
 * Calls `handle` once the whole body of `request` has arrived within `maxBytes` (at once for a
 * request without a body); otherwise answers 413 and never calls it.
 *
 * Node's parser hands body chunks to the request with `request.push(chunk)` and ends it with
 * `push(null)`. Until `handle` runs nobody reads the stream, so we take those chunks (counting,
 * and refusing at the first byte past the limit, chunked bodies included), and at the end push
 * them back in order: the handler then reads an ordinary, complete request stream.
 */
export function limitRequestBody(
  request: IncomingMessage,
  { maxBytes, tooLargeMessage }: BodyLimit,
  handle: () => void,
): void {
  if (!hasBody(request)) {
    handle();
    return;
  }
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    refuse(request, tooLargeMessage);
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const push = request.push;
  request.push = function collect(chunk: Buffer | null, encoding?: BufferEncoding): boolean {
    if (chunk === null) {
      request.push = push;
      for (const part of chunks) push.call(request, part);
      push.call(request, null);
      handle();
      return false;
    }
    received += chunk.length;
    if (received > maxBytes) {
      chunks.length = 0;
      refuse(request, tooLargeMessage);
      return false;
    }
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk);
    return true;
  } as typeof request.push;
}

function refuse(request: IncomingMessage, message: string): void {
  refuseRequest(request, 413, { code: "too_large", message });
}
