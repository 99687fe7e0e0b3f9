"use client";
// A small bar under the link at the caret (or under the pointer): its address, Open, Edit and
// Remove. The href shown and opened is the schema's, so only safe links get here.
import { useEffect, useRef, useState } from "react";
import { useEditorState, type Editor } from "@tiptap/react";
import { isSafeHref, LINK_REL, LINK_TARGET } from "@/lib/editor/safeLink";
import { linkRangeAt, removeLink } from "@/lib/editor/linkEditing";

/** How long the bubble of a hovered link stays after the pointer leaves it (time to reach the bubble). */
const HOVER_GRACE_MS = 400;

interface Shown {
  href: string;
  /** A position inside the link (the caret's, or the hovered link's). */
  pos: number;
  /** Below the link, relative to the editor frame. */
  left: number;
  top: number;
}

export function LinkBubble({ editor, editable, onEdit }: { editor: Editor; editable: boolean; onEdit: () => void }) {
  const atCaret = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      if (!e.isActive("link") || !e.isFocused) return null;
      return { href: String(e.getAttributes("link").href ?? ""), pos: e.state.selection.from };
    },
  });
  const [hovered, setHovered] = useState<{ href: string; pos: number } | null>(null);
  const leaveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const keep = () => {
    if (leaveTimer.current) clearTimeout(leaveTimer.current);
    leaveTimer.current = null;
  };
  const leaveSoon = () => {
    keep();
    leaveTimer.current = setTimeout(() => setHovered(null), HOVER_GRACE_MS);
  };

  useEffect(() => {
    const dom = editor.view.dom;
    const over = (event: MouseEvent) => {
      const anchor = (event.target as Element).closest?.("a[href]");
      if (!anchor || !dom.contains(anchor)) return;
      keep();
      setHovered({ href: anchor.getAttribute("href") ?? "", pos: editor.view.posAtDOM(anchor, 0) });
    };
    const out = (event: MouseEvent) => {
      if ((event.target as Element).closest?.("a[href]")) leaveSoon();
    };
    dom.addEventListener("mouseover", over);
    dom.addEventListener("mouseout", out);
    return () => {
      dom.removeEventListener("mouseover", over);
      dom.removeEventListener("mouseout", out);
      keep();
    };
  }, [editor]);

  const target = atCaret ?? hovered;
  const shown = target && isSafeHref(target.href) ? place(editor, target) : null;
  if (!shown) return null;
  return (
    <div
      className="link-bubble"
      role="group"
      aria-label="Link"
      style={{ left: shown.left, top: shown.top }}
      data-testid="link-bubble"
      onMouseEnter={keep}
      onMouseLeave={() => hovered && leaveSoon()}
      // Keep the caret in the link while a button is pressed.
      onMouseDown={(event) => {
        if ((event.target as Element).closest("button")) event.preventDefault();
      }}
    >
      <a href={shown.href} target={LINK_TARGET} rel={LINK_REL} className="link-bubble-href" data-testid="link-bubble-open" title={shown.href}>
        {shown.href}
      </a>
      {editable && (
        <>
          <button
            type="button"
            className="toolbar-button"
            data-testid="link-bubble-edit"
            onClick={() => {
              editor.chain().focus().setTextSelection(shown.pos).run();
              setHovered(null);
              onEdit();
            }}
          >
            Edit
          </button>
          <button
            type="button"
            className="toolbar-button"
            data-testid="link-bubble-remove"
            onClick={() => {
              editor.chain().focus().setTextSelection(shown.pos).run();
              removeLink(editor);
              setHovered(null);
            }}
          >
            Remove
          </button>
        </>
      )}
    </div>
  );
}

/** Where the bubble goes for the link around `pos`: under its start, in the frame's coordinates. */
function place(editor: Editor, { href, pos }: { href: string; pos: number }): Shown | null {
  if (editor.isDestroyed) return null;
  const range = linkRangeAt(editor, Math.min(pos, editor.state.doc.content.size));
  const frame = editor.view.dom.closest(".editor-frame");
  if (!range || !frame) return null;
  const start = editor.view.coordsAtPos(range.from);
  const box = frame.getBoundingClientRect();
  return { href, pos: range.from + 1 > range.to ? range.from : range.from + 1, left: start.left - box.left, top: start.bottom - box.top + 4 };
}
