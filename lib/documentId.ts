// Document ids double as collab room names and URL path segments, so they are restricted
// to a URL-safe alphabet and a bounded length; anything else is rejected before any lookup.

export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** True when `id` is a syntactically valid document id. */
export function isValidDocumentId(id: string): boolean {
  return DOCUMENT_ID_PATTERN.test(id);
}

/** A new random document id (21 URL-safe characters, ~126 bits). */
export function newDocumentId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  const bytes = crypto.getRandomValues(new Uint8Array(21));
  let id = "";
  for (const b of bytes) id += alphabet[b & 63];
  return id;
}
