"use client";
// The toolbar's "Image" button, and the one place images get into a document: files chosen
// here, pasted or dropped into the editor (lib/editor/imageNode.ts hands those to
// editor.storage.image.upload, installed here while the document is editable) are uploaded
// one after another, with progress shown, and each becomes an image node where it was put,
// once the server has stored it. A refused file (too large, SVG, not an image) shows the
// server's reason and inserts nothing.
import { useCallback, useEffect, useRef, useState } from "react";
import { useParams, useSearchParams } from "next/navigation";
import type { Editor } from "@tiptap/react";
import { announce } from "@/app/components/announcements";
import { uploadImage } from "./imageUpload";
import { trackPosition, type TrackedPosition } from "./imageInsertPosition";

/** What the button shows beside itself. */
type UploadStatus =
  | { kind: "idle" }
  | { kind: "uploading"; fileName: string; percent: number; waiting: number }
  | { kind: "failed"; message: string };

/** Image types the file picker offers (the server sniffs the bytes anyway). */
const ACCEPTED_TYPES = "image/png,image/jpeg,image/gif,image/webp";

export function ImageUploadButton({ editor, editable }: { editor: Editor | null; editable: boolean }) {
  const { id: documentId } = useParams<{ id: string }>();
  const token = useSearchParams().get("token");
  const [status, setStatus] = useState<UploadStatus>({ kind: "idle" });
  const input = useRef<HTMLInputElement>(null);
  // Uploads run one at a time, in the order they were asked for.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const waiting = useRef(0);

  const uploadOne = useCallback(
    async (file: File, at: TrackedPosition): Promise<void> => {
      waiting.current -= 1;
      setStatus({ kind: "uploading", fileName: file.name, percent: 0, waiting: waiting.current });
      // Said once at each end; the percentage is on screen, not read out at every step.
      announce(`Uploading ${file.name}.`);
      try {
        const { src } = await uploadImage(documentId, token, file, (fraction) =>
          setStatus({ kind: "uploading", fileName: file.name, percent: Math.round(fraction * 100), waiting: waiting.current }),
        );
        const position = at();
        if (!editor || editor.isDestroyed || !editor.isEditable || position === null) {
          throw new Error("The document can no longer be edited here, so the image was not added.");
        }
        editor.chain().insertContentAt(position, { type: "image", attrs: { src } }).run();
        setStatus((current) => (current.kind === "failed" ? current : { kind: "idle" }));
        announce(`${file.name} added.`);
      } catch (error) {
        setStatus({ kind: "failed", message: `Could not add ${file.name}: ${(error as Error).message}` });
      }
    },
    [documentId, token, editor],
  );

  const upload = useCallback(
    (files: File[], position: number | null) => {
      if (!editor || editor.isDestroyed) return;
      // Anchored now, where the files were dropped or pasted (or the caret is), not where the
      // caret will be when each upload ends.
      const at = trackPosition(editor, position ?? editor.state.selection.from);
      setStatus({ kind: "idle" });
      for (const file of files) {
        waiting.current += 1;
        queue.current = queue.current.then(() => uploadOne(file, at));
      }
    },
    [editor, uploadOne],
  );

  // Pasted and dropped files reach us through the image node's plugin while editing is allowed.
  useEffect(() => {
    if (!editor || editor.isDestroyed || !editable) return;
    editor.storage.image.upload = upload;
    return () => {
      if (!editor.isDestroyed && editor.storage.image.upload === upload) editor.storage.image.upload = null;
    };
  }, [editor, editable, upload]);

  return (
    <span className="image-upload">
      <button
        type="button"
        className="toolbar-button"
        data-testid="toolbar-image"
        title="Insert an image (PNG, JPEG, GIF or WebP); you can also paste or drop one"
        disabled={!editor || !editable}
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => input.current?.click()}
      >
        Image
      </button>
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_TYPES}
        multiple
        hidden
        data-testid="image-upload-input"
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? []);
          event.currentTarget.value = ""; // the same file may be chosen again
          if (files.length > 0) upload(files, null);
        }}
      />
      {status.kind === "uploading" && (
        <span className="image-upload-status" data-testid="image-upload-status">
          <progress max={100} value={status.percent} aria-label={`Uploading ${status.fileName}`} />
          {`Uploading ${status.fileName}… ${status.percent}%`}
          {status.waiting > 0 && ` (${status.waiting} more waiting)`}
        </span>
      )}
      {status.kind === "failed" && (
        <span className="image-upload-error error-text" role="alert" data-testid="image-upload-error">
          {status.message}
          <button type="button" className="toolbar-button" onClick={() => setStatus({ kind: "idle" })}>
            Dismiss
          </button>
        </span>
      )}
    </span>
  );
}
