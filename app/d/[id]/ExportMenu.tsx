"use client";
// The editor's Export menu: the document as Markdown or as a standalone HTML page (downloads
// named after the title, from the content API with the page's own access: cookie or share
// link), or as PDF through the browser's print dialog, where the print stylesheet
// (app/globals.css, @media print) leaves only the title and the text.
import { useRef, useState } from "react";
import { apiErrorMessage } from "@/app/components/apiErrorMessage";
import { downloadFileName, standaloneHtml } from "./exportFiles";
import styles from "./ExportMenu.module.css";
import { ErrorNote } from "@/app/components/ErrorNote";

interface Props {
  documentId: string;
  /** The share link's secret when the page was opened through one. */
  token: string | null;
}

type Format = "markdown" | "html";

const FILE_TYPES: Record<Format, { extension: string; mediaType: string }> = {
  markdown: { extension: "md", mediaType: "text/markdown;charset=utf-8" },
  html: { extension: "html", mediaType: "text/html;charset=utf-8" },
};

export function ExportMenu({ documentId, token }: Props) {
  const menu = useRef<HTMLDetailsElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headers: Record<string, string> = token ? { "x-share-token": token } : {};
  const base = `/api/documents/${encodeURIComponent(documentId)}`;

  /** The current title (it may have been renamed since the page loaded). */
  async function currentTitle(): Promise<string> {
    const response = await fetch(base, { headers, cache: "no-store" });
    if (!response.ok) return "";
    const { title } = (await response.json()) as { title?: unknown };
    return typeof title === "string" ? title : "";
  }

  async function download(format: Format) {
    setBusy(true);
    setError(null);
    try {
      const [response, title] = await Promise.all([fetch(`${base}/content?format=${format}`, { headers, cache: "no-store" }), currentTitle()]);
      if (!response.ok) {
        setError(await apiErrorMessage(response));
        return;
      }
      const content = await response.text();
      const body = format === "html" ? standaloneHtml(title || "Document", content, window.location.origin) : content;
      const { extension, mediaType } = FILE_TYPES[format];
      saveFile(new Blob([body], { type: mediaType }), downloadFileName(title, extension));
      if (menu.current) menu.current.open = false;
    } catch {
      setError("The export could not be downloaded: the server did not answer.");
    } finally {
      setBusy(false);
    }
  }

  function print() {
    if (menu.current) menu.current.open = false;
    window.print();
  }

  return (
    <details className={styles.menu} ref={menu} data-testid="export-menu">
      <summary className="button">Export</summary>
      <div className={styles.items} role="group" aria-label="Export formats">
        <button type="button" className="button" onClick={() => download("markdown")} disabled={busy} data-testid="export-markdown">
          Markdown (.md)
        </button>
        <button type="button" className="button" onClick={() => download("html")} disabled={busy} data-testid="export-html">
          HTML page (.html)
        </button>
        <button type="button" className="button" onClick={print} data-testid="export-pdf">
          PDF (print)
        </button>
        <ErrorNote message={error} testId="export-error" />
      </div>
    </details>
  );
}

/** Hands `blob` to the browser as a download called `name`. */
function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled: revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
