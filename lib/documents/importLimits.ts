// What the home page's import accepts, known to the browser before it uploads anything.

/** Largest file the server takes (its request body limit, MAX_REQUEST_BODY_BYTES in
 *  server/http/limitRequestBody.ts; a test keeps the two equal). */
export const MAX_IMPORT_BYTES = 1024 * 1024;

/** File name endings that can be imported, and the content type each is sent as. Plain text
 *  is sent as Markdown, which reads it as paragraphs. */
export const IMPORT_CONTENT_TYPES: Record<string, "text/markdown" | "text/html"> = {
  ".md": "text/markdown",
  ".markdown": "text/markdown",
  ".txt": "text/markdown",
  ".html": "text/html",
  ".htm": "text/html",
};
