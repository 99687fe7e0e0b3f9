// A place in the document that stays put while an upload runs. Others keep typing meanwhile,
// and y-prosemirror applies their edits by replacing the whole ProseMirror document, which no
// ProseMirror mapping survives; a Yjs relative position (anchored to the content itself) does.
import type { Editor } from "@tiptap/core";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";

/** Resolves to where the position is now, or null when the content it was anchored to is gone
 *  or the editor no longer has a document bound. */
export type TrackedPosition = () => number | null;

/** Tracks `position` of `editor`'s current document. */
export function trackPosition(editor: Editor, position: number): TrackedPosition {
  const sync = ySyncPluginKey.getState(editor.state);
  if (!sync?.binding) return () => (editor.isDestroyed ? null : Math.min(position, editor.state.doc.content.size));
  const relative = absolutePositionToRelativePosition(position, sync.type, sync.binding.mapping);
  return () => {
    if (editor.isDestroyed) return null;
    const now = ySyncPluginKey.getState(editor.state);
    return now?.binding ? relativePositionToAbsolutePosition(now.doc, now.type, relative, now.binding.mapping) : null;
  };
}
