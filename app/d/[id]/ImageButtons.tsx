"use client";
// The toolbar's image group: upload (button, paste, drop) and the selected image's alt text.
import type { Editor } from "@tiptap/react";
import { ImageAltTextButton } from "./ImageAltTextButton";
import { ImageUploadButton } from "./ImageUploadButton";

export function ImageButtons({ editor, editable }: { editor: Editor | null; editable: boolean }) {
  return (
    <>
      <span className="toolbar-separator" aria-hidden />
      <ImageUploadButton editor={editor} editable={editable} />
      <ImageAltTextButton editor={editor} editable={editable} />
    </>
  );
}
