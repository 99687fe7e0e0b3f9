// The home page's import, without React: which files can be imported and as what, a file's
// title fallback, and the upload itself (XMLHttpRequest, which reports upload progress).
import { IMPORT_CONTENT_TYPES, MAX_IMPORT_BYTES } from "@/lib/documents/importLimits";

/** The `accept` attribute of the file picker. */
export const IMPORT_ACCEPT = [...Object.keys(IMPORT_CONTENT_TYPES), "text/markdown", "text/html", "text/plain"].join(",");

/** The file name's ending in lower case (".md"), or "". */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

/** The content type to send `name` as, or null when it is not a file we import. */
export function importContentType(name: string): "text/markdown" | "text/html" | null {
  return IMPORT_CONTENT_TYPES[extensionOf(name)] ?? null;
}

/** The file name without its ending, for a document with no heading to take its title from. */
export function titleFromFileName(name: string): string {
  const extension = extensionOf(name);
  return (extension ? name.slice(0, -extension.length) : name).trim();
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Why `file` cannot be imported, said before uploading it; null when it may be. */
export function importRefusal(file: { name: string; size: number }): string | null {
  if (!importContentType(file.name)) return `${file.name}: only Markdown (.md, .markdown, .txt) and HTML (.html, .htm) files can be imported.`;
  if (file.size > MAX_IMPORT_BYTES) return `${file.name} is ${formatBytes(file.size)}; files up to ${formatBytes(MAX_IMPORT_BYTES)} can be imported.`;
  return null;
}

export type UploadResult = { ok: true; id: string; title: string } | { ok: false; message: string };

/** POSTs `file` as a new document, reporting the share of it sent (0 to 1). Never rejects. */
export function uploadDocument(file: File, onProgress: (sent: number) => void): Promise<UploadResult> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/documents");
    request.setRequestHeader("content-type", `${importContentType(file.name)}; charset=utf-8`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let body: { id?: string; title?: string; error?: { message?: string } } = {};
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // Not JSON: a proxy's error page, say.
      }
      if (request.status === 201 && typeof body.id === "string") resolve({ ok: true, id: body.id, title: body.title ?? "" });
      else resolve({ ok: false, message: `${file.name}: ${body.error?.message ?? `the server answered ${request.status}.`}` });
    };
    // The server closes the connection on a body past its limit before reading it.
    request.onerror = () => resolve({ ok: false, message: `${file.name}: the upload failed (the connection was closed). Files up to ${formatBytes(MAX_IMPORT_BYTES)} can be imported.` });
    request.send(file);
  });
}
