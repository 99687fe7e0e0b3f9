// The image node of our schema: Tiptap's Image cut down to src, alt and title, where src may
// only be one of our own image URLs (/api/documents/<id>/images/<imageId>, lib/images/imageUrl.ts).
// Node attributes come from the shared Y.Doc, which anyone who can edit (an edit link's guest
// too) can fill with whatever a modified client writes, so the check is made where HTML and
// Markdown come in AND where the node is drawn: a foreign or data: src is never fetched.
//
// In the browser it also takes image files pasted or dropped into the editor and hands them
// to the page's uploader (editor.storage.image.upload, installed by app/d/[id]/ImageUploadButton.tsx),
// and shows images to a share link's guest with the link's token, which the image route needs
// as the socket does (the page's ?token=; an <img> cannot send the x-share-token header).
import { Image, type ImageOptions } from "@tiptap/extension-image";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import type { EditorView } from "@tiptap/pm/view";
import { isOwnImageUrl } from "../images/imageUrl.ts";

/** Uploads `files` and inserts what succeeds at `position` (a document position), or at the
 *  selection when null. Progress and errors are the uploader's to show. */
export type ImageUploadHandler = (files: File[], position: number | null) => void;

export interface ImageStorage {
  /** Set by the page while the document can be edited; null: pasted and dropped files are ignored. */
  upload: ImageUploadHandler | null;
}

declare module "@tiptap/core" {
  interface Storage {
    image: ImageStorage;
  }
}

/** What an image without alt text is announced as in the editor. */
export const UNDESCRIBED_IMAGE_ALT = "Image without a description";

/** The src an image node may carry (ours), or null. */
function ownSrc(src: unknown): string | null {
  return isOwnImageUrl(src) ? src : null;
}

/** The URL to draw `src` from on this page: with the page's share token, when it was opened
 *  through a link (the image route checks access like every route). */
function displaySrc(src: string): string {
  const token = typeof window === "undefined" ? null : new URLSearchParams(window.location.search).get("token");
  return token ? `${src}?${new URLSearchParams({ token })}` : src;
}

/** The files of a drop (from a file manager), if any. */
function filesOf(data: DataTransfer | null): File[] {
  return data ? Array.from(data.files) : [];
}

/** The files of a paste that is a file (a screenshot, "Copy image"). Office programs put a
 *  picture of copied text on the clipboard beside the text itself: with text there, the text
 *  is what the user means to paste, so the paste is left to the editor. */
function pastedFiles(data: DataTransfer | null): File[] {
  if (!data || data.getData("text/plain").trim() !== "") return [];
  return filesOf(data);
}

/** Alt text as Markdown's image syntax holds it: on one line, with its brackets escaped
 *  (marked reads `\\[` and `\\]` back as brackets). A backslash right before a bracket or at
 *  the end would escape the wrong character, and marked would not read it back, so it is dropped. */
function markdownAlt(alt: unknown): string {
  if (typeof alt !== "string") return "";
  return alt.replace(/\s+/g, " ").replace(/\\+(?=[[\]]|$)/g, "").replace(/[[\]]/g, "\\$&");
}

export const imageNode = Image.extend<ImageOptions, ImageStorage>({
  addOptions() {
    // Inline, as in Markdown and HTML, where an image sits in a paragraph (beside text or not):
    // a block image could not hold `text ![a](b) text`. No data: URLs, no resize handles
    // (they would write pixel sizes into the shared document).
    return { ...this.parent!(), inline: true, allowBase64: false, resize: false, HTMLAttributes: {} };
  },

  addStorage() {
    return { upload: null };
  },

  addAttributes() {
    return {
      src: { default: null, parseHTML: (element: HTMLElement) => ownSrc(element.getAttribute("src")) },
      alt: { default: null },
      title: { default: null },
    };
  },

  parseHTML() {
    // An <img> whose src is not ours is not an image of this document (dropped on import and paste).
    return [{ tag: "img[src]", getAttrs: (element: HTMLElement) => (isOwnImageUrl(element.getAttribute("src")) ? null : false) }];
  },

  renderHTML({ node }) {
    const { alt, title } = node.attrs as { alt: string | null; title: string | null };
    return ["img", { src: ownSrc(node.attrs.src), alt, title }];
  },

  parseMarkdown: (token, helpers) => {
    const src = ownSrc(token.href);
    // ![alt](elsewhere): the schema holds no foreign image; its alt text is kept as text.
    if (!src) return token.text ? helpers.createTextNode(token.text) : [];
    return helpers.createNode("image", { src, alt: token.text || null, title: token.title || null });
  },

  renderMarkdown: (node) => {
    const src = ownSrc(node.attrs?.src);
    const alt = markdownAlt(node.attrs?.alt);
    // Without our src there is no image to point at: its alt text stands in for it.
    if (!src) return alt;
    const title = typeof node.attrs?.title === "string" && node.attrs.title.trim() !== "" ? ` "${node.attrs.title.replace(/\s+/g, " ").replace(/["\\]/g, "\\$&")}"` : "";
    return `![${alt}](${src}${title})`;
  },

  addNodeView() {
    return ({ node }) => {
      const img = document.createElement("img");
      const draw = (attrs: Record<string, unknown>) => {
        const src = ownSrc(attrs.src);
        if (src) img.src = displaySrc(src);
        else img.removeAttribute("src");
        // An image nobody has described yet still says what it is (an <img> without alt is
        // announced by its URL); the placeholder is only drawn, never stored or exported.
        img.alt = typeof attrs.alt === "string" && attrs.alt !== "" ? attrs.alt : UNDESCRIBED_IMAGE_ALT;
        if (typeof attrs.title === "string") img.title = attrs.title;
        else img.removeAttribute("title");
      };
      draw(node.attrs);
      return {
        dom: img,
        update: (updated) => {
          if (updated.type !== node.type) return false;
          draw(updated.attrs);
          return true;
        },
      };
    };
  },

  // Image's rule turns a typed ![alt](any URL) into an image; images come only from uploads.
  addInputRules() {
    return [];
  },

  addProseMirrorPlugins() {
    const storage = this.storage;
    const take = (files: File[], position: number | null): boolean => {
      if (files.length === 0 || !storage.upload) return false;
      storage.upload(files, position);
      return true;
    };
    return [
      new Plugin({
        key: new PluginKey("imageFiles"),
        props: {
          handlePaste: (_view, event) => take(pastedFiles(event.clipboardData), null),
          handleDrop: (view: EditorView, event) => {
            const files = filesOf(event.dataTransfer);
            if (files.length === 0) return false;
            const position = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos ?? null;
            return take(files, position);
          },
        },
      }),
    ];
  },
});
