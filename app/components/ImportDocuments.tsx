"use client";
// Import on the home page: a button opening a file picker, and Markdown/HTML files dropped
// anywhere on the page. Each file becomes a new document (POST /api/documents with the file as
// text/markdown or text/html); upload progress is shown per file, and what cannot be imported
// says why (before uploading when the browser can tell: type, size; otherwise the server's
// message). One file imported opens its document; several are listed with links.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { DEFAULT_DOCUMENT_TITLE } from "@/lib/documents/documentTitle";
import { IMPORT_ACCEPT, importRefusal, titleFromFileName, uploadDocument } from "./importFiles";
import styles from "./ImportDocuments.module.css";

type Row =
  | { key: number; name: string; state: "uploading"; sent: number }
  | { key: number; name: string; state: "done"; id: string; title: string }
  | { key: number; name: string; state: "failed"; message: string };

/** Whether a drag carries files (not text or a link dragged within the page). */
function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes("Files") ?? false;
}

export function ImportDocuments() {
  const router = useRouter();
  const picker = useRef<HTMLInputElement>(null);
  const nextKey = useRef(1);
  const [rows, setRows] = useState<Row[]>([]);
  const [dragging, setDragging] = useState(false);

  const update = (key: number, row: Row) => setRows((current) => current.map((existing) => (existing.key === key ? row : existing)));

  async function importFiles(files: File[]) {
    if (files.length === 0) return;
    const started = files.map((file) => ({ file, key: nextKey.current++ }));
    setRows((current) => [
      ...current.filter((row) => row.state === "uploading"),
      ...started.map(({ file, key }): Row => {
        const refusal = importRefusal(file);
        return refusal ? { key, name: file.name, state: "failed", message: refusal } : { key, name: file.name, state: "uploading", sent: 0 };
      }),
    ]);
    const results = await Promise.all(
      started
        .filter(({ file }) => importRefusal(file) === null)
        .map(async ({ file, key }) => {
          const result = await uploadDocument(file, (sent) => update(key, { key, name: file.name, state: "uploading", sent }));
          if (!result.ok) {
            update(key, { key, name: file.name, state: "failed", message: result.message });
            return null;
          }
          const title = result.title === DEFAULT_DOCUMENT_TITLE ? await renameAfterFile(result.id, file.name) : result.title;
          update(key, { key, name: file.name, state: "done", id: result.id, title });
          return result.id;
        }),
    );
    const imported = results.filter((id): id is string => id !== null);
    if (files.length === 1 && imported.length === 1) router.push(`/d/${encodeURIComponent(imported[0])}`);
    else if (imported.length > 0) router.refresh();
  }

  // Files dropped anywhere on the page. Without preventDefault on dragover the browser would
  // open a dropped file itself, leaving the app.
  useEffect(() => {
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      setDragging(false);
      void importFiles([...(event.dataTransfer?.files ?? [])]);
    };
    window.addEventListener("dragover", over);
    window.addEventListener("dragleave", leave);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragover", over);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("drop", drop);
    };
  });

  return (
    <div className={styles.import}>
      <button type="button" className="button" onClick={() => picker.current?.click()} data-testid="import-button">
        Import…
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        accept={IMPORT_ACCEPT}
        hidden
        data-testid="import-input"
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = ""; // the same file again is a new import
          void importFiles(files);
        }}
      />
      {dragging && (
        <div className={styles.dropZone} data-testid="import-drop-zone">
          Drop Markdown or HTML files to import them
        </div>
      )}
      {rows.length > 0 && (
        <ul className={styles.rows} aria-live="polite" data-testid="import-status">
          {rows.map((row) => (
            <li key={row.key} data-state={row.state}>
              {row.state === "uploading" && (
                <>
                  <span>{row.name}</span>{" "}
                  {row.sent < 1 ? (
                    <progress max={1} value={row.sent} aria-label={`Uploading ${row.name}`} />
                  ) : (
                    <span className="muted">converting…</span>
                  )}
                </>
              )}
              {row.state === "done" && (
                <>
                  Imported <Link href={`/d/${encodeURIComponent(row.id)}`}>{row.title}</Link>
                </>
              )}
              {row.state === "failed" && (
                <span className="error-text" role="alert">
                  {row.message}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Titles a document that had no heading after its file; the title it ends up with. */
async function renameAfterFile(id: string, fileName: string): Promise<string> {
  const title = titleFromFileName(fileName);
  if (!title) return DEFAULT_DOCUMENT_TITLE;
  try {
    const response = await fetch(`/api/documents/${encodeURIComponent(id)}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title }),
    });
    return response.ok ? title : DEFAULT_DOCUMENT_TITLE;
  } catch {
    return DEFAULT_DOCUMENT_TITLE;
  }
}
