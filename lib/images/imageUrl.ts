// Where an uploaded image lives: /api/documents/<documentId>/images/<imageId>, on our own
// origin. The editor's image node accepts no other src, so a document never makes a reader's
// browser fetch from elsewhere (and the CSP's img-src 'self' would block it anyway).
/** Image ids have the shape of document ids (URL-safe, random; see newDocumentId). */
export { isValidDocumentId as isValidImageId, newDocumentId as newImageId } from "../documentId.ts";

const IMAGE_URL = /^\/api\/documents\/([A-Za-z0-9_-]{1,64})\/images\/([A-Za-z0-9_-]{1,64})$/;

/** The URL an image is served at (and the src of its node). */
export function imageUrl(documentId: string, imageId: string): string {
  return `/api/documents/${documentId}/images/${imageId}`;
}

/** The upload route of a document's images. */
export function imageUploadUrl(documentId: string): string {
  return `/api/documents/${documentId}/images`;
}

/** The document and image an image URL names, or null when `src` is not one of ours. Exact
 *  match, no query, no host: anything else in a document's src is refused. */
export function parseImageUrl(src: unknown): { documentId: string; imageId: string } | null {
  if (typeof src !== "string") return null;
  const match = IMAGE_URL.exec(src);
  if (!match) return null;
  return { documentId: match[1], imageId: match[2] };
}

/** True when `src` may be an image node's src. */
export function isOwnImageUrl(src: unknown): src is string {
  return parseImageUrl(src) !== null;
}
