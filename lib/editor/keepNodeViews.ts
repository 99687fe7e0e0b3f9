// Opening a document built its DOM twice. @tiptap/react's EditorContent calls
// `editor.createNodeViews()` when it mounts, so that React node views can render into it.
// Tiptap's `extensionManager.nodeViews` makes new functions on every read, ProseMirror takes new
// node view functions for changed ones, and a changed node view redraws the whole document:
// the DOM the view had just built for the content (y-tiptap renders the Y.Doc as the view is
// created) was thrown away and built again (100 KB of text: 60-130 ms, plus its layout).
//
// Our node views (images; Tiptap's task items and tables) are plain DOM, none is a React node
// view, so the ones the view was created with are exactly what that call would set: the first
// call is skipped. A later call (EditorContent mounted again) goes through. A React node view
// added to the schema would need that first call: then remove this extension.
import { Extension } from "@tiptap/core";

export const KeepNodeViews = Extension.create({
  name: "keepNodeViews",
  onBeforeCreate() {
    const editor = this.editor;
    const createNodeViews = editor.createNodeViews.bind(editor);
    let viewCreatedWithThem = true;
    editor.createNodeViews = () => {
      if (viewCreatedWithThem) {
        viewCreatedWithThem = false;
        return;
      }
      createNodeViews();
    };
  },
});
