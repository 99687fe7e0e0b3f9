// What the Export menu downloads: a file name from the document's title, and the HTML export as
// a whole page that opens on its own (the API gives a fragment of the schema's elements).

/** Characters left out of file names: path separators, characters Windows refuses, controls. */
const UNSAFE_FILE_NAME_CHARACTERS = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;
/** Longest file name stem (before the extension), in characters. */
const MAX_FILE_NAME_STEM_CHARS = 100;

/** A file name for `title` with `extension` ("md"): unsafe characters become spaces, white space
 *  is collapsed, leading dots (and spaces among them) are dropped (no hidden files), "document" when nothing is left. */
export function downloadFileName(title: string, extension: string): string {
  const stem = [...title.replace(UNSAFE_FILE_NAME_CHARACTERS, " ").replace(/\s+/g, " ").replace(/^[.\s]+/, "").trim()]
    .slice(0, MAX_FILE_NAME_STEM_CHARS)
    .join("")
    .trim();
  return `${stem || "document"}.${extension}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A small reading stylesheet, so the page needs nothing from us to look right. */
const PAGE_STYLE = `body{max-width:46rem;margin:2rem auto;padding:0 1rem;font:16px/1.6 system-ui,sans-serif;color:#1f2328}
h1,h2,h3{line-height:1.25}pre{background:#f6f8fa;padding:0.75rem;overflow:auto;border-radius:6px}
code{font-family:ui-monospace,monospace;font-size:0.9em}blockquote{margin:0;padding-left:1rem;border-left:3px solid #d0d7de;color:#57606a}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:0.3rem 0.6rem}img{max-width:100%}mark{background:#fff3a3}`;

/**
 * The HTML export as a complete page: the fragment (already safe: only the schema's elements,
 * links with safe hrefs, rendered by the server) under the title, with an inline stylesheet and
 * a base URL of our origin, so relative links and images (served by us, with the reader's
 * access) resolve to absolute addresses wherever the file is opened.
 */
export function standaloneHtml(title: string, fragment: string, origin: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<base href="${escapeHtml(origin)}/">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${fragment}
</body>
</html>
`;
}
