"use client";
// "Alt text" in the toolbar: enabled while an image is selected (click it), it opens a small
// native dialog to describe the image for people who cannot see it. The description is the
// image node's alt attribute, so it syncs like any edit and goes out with Markdown and HTML.
import { useRef, useState } from "react";
import { NodeSelection } from "@tiptap/pm/state";
import { useEditorState, type Editor } from "@tiptap/react";
import { trackPosition, type TrackedPosition } from "./imageInsertPosition";

/** Longest description kept: alt text is a sentence or two, not an essay. */
const MAX_ALT_LENGTH = 500;

/** The selected image's position and alt text, or null when the selection is not one image. */
function selectedImage(editor: Editor | null): { position: number; alt: string } | null {
  if (!editor || editor.isDestroyed) return null;
  const { selection } = editor.state;
  if (!(selection instanceof NodeSelection) || selection.node.type.name !== "image") return null;
  const alt = selection.node.attrs.alt;
  return { position: selection.from, alt: typeof alt === "string" ? alt : "" };
}

export function ImageAltTextButton({ editor, editable }: { editor: Editor | null; editable: boolean }) {
  const image = useEditorState({ editor, selector: ({ editor: e }) => selectedImage(e) });
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState("");
  // Where the image being described is, followed through others' edits while the dialog is open.
  const target = useRef<TrackedPosition | null>(null);

  const open = () => {
    if (!editor || !image) return;
    target.current = trackPosition(editor, image.position);
    setDraft(image.alt);
    dialog.current?.showModal();
  };

  const save = () => {
    const position = target.current?.() ?? null;
    dialog.current?.close();
    if (!editor || editor.isDestroyed || position === null) return;
    // Still an image there (someone else may have deleted it meanwhile): then set its alt.
    if (editor.state.doc.nodeAt(position)?.type.name !== "image") return;
    const alt = draft.replace(/\s+/g, " ").trim().slice(0, MAX_ALT_LENGTH);
    editor.chain().focus().command(({ tr }) => {
      tr.setNodeAttribute(position, "alt", alt === "" ? null : alt);
      return true;
    }).run();
  };

  return (
    <>
      <button
        type="button"
        className="toolbar-button"
        data-testid="toolbar-image-alt"
        title="Describe the selected image for people who cannot see it"
        disabled={!editable || image === null}
        onMouseDown={(event) => event.preventDefault()}
        onClick={open}
      >
        Alt text
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby="image-alt-title" data-testid="image-alt-dialog">
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <h2 id="image-alt-title">Alt text</h2>
          <label className="image-alt-field">
            Describe the image for people who cannot see it
            <input value={draft} maxLength={MAX_ALT_LENGTH} onChange={(event) => setDraft(event.target.value)} autoFocus data-testid="image-alt-input" />
          </label>
          <div className="image-alt-actions">
            <button type="button" className="button" onClick={() => dialog.current?.close()} data-testid="image-alt-cancel">
              Cancel
            </button>
            <button type="submit" className="button primary" data-testid="image-alt-save">
              Save
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
