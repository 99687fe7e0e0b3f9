// What the link dialog reads and writes: the link (or selected text) at the selection, and the
// user's typed address made into an href the schema accepts, or a reason why not.
import type { Editor } from "@tiptap/core";
import { isSafeHref } from "./safeLink.ts";

export interface LinkDraft {
  href: string;
  text: string;
}

/** A bare domain ("example.com/x") or address ("ada@example.com"), which people type without a scheme. */
const BARE_DOMAIN = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[:/?#]|$)/i;
const BARE_EMAIL = /^[^\s@/:]+@[^\s@/:]+\.[a-z]{2,}$/i;

/** The href for what the user typed: trimmed, a scheme added to a bare domain or address; or
 *  an error message when the schema would refuse it (javascript:, data:, ...). */
export function hrefFromInput(input: string): { href: string } | { error: string } {
  const typed = input.trim();
  if (!typed) return { error: "Enter an address." };
  const href = BARE_EMAIL.test(typed) ? `mailto:${typed}` : BARE_DOMAIN.test(typed) ? `https://${typed}` : typed;
  if (!isSafeHref(href)) return { error: "Only http:, https: and mailto: addresses, or paths on this site, can be links." };
  return { href };
}

/** The link under the selection (its whole text), or the selected text for a new link. */
export function linkDraftAtSelection(editor: Editor): LinkDraft {
  const { state } = editor;
  if (editor.isActive("link")) {
    const href = String(editor.getAttributes("link").href ?? "");
    const range = linkRangeAt(editor, state.selection.from);
    return { href, text: range ? state.doc.textBetween(range.from, range.to) : "" };
  }
  return { href: "", text: state.doc.textBetween(state.selection.from, state.selection.to, " ") };
}

/** The extent of the link mark around `pos`, or null. */
export function linkRangeAt(editor: Editor, pos: number): { from: number; to: number } | null {
  const $pos = editor.state.doc.resolve(pos);
  const linkType = editor.schema.marks.link!;
  const parent = $pos.parent;
  let from = -1;
  let to = -1;
  let offset = $pos.start();
  for (let index = 0; index < parent.childCount; index++) {
    const child = parent.child(index);
    const end = offset + child.nodeSize;
    const mark = linkType.isInSet(child.marks);
    if (mark && offset <= pos && pos <= end) {
      // Extend over the neighbouring pieces carrying the same link (bold inside a link splits it).
      from = offset;
      to = end;
      for (let before = index - 1; before >= 0 && parent.child(before).marks.some((m) => m.eq(mark)); before--) from -= parent.child(before).nodeSize;
      for (let after = index + 1; after < parent.childCount && parent.child(after).marks.some((m) => m.eq(mark)); after++) to += parent.child(after).nodeSize;
      break;
    }
    offset = end;
  }
  return from < 0 ? null : { from, to };
}

/** Makes `draft` the link at the selection: the existing link (or selected text) is replaced
 *  when the text changed or there was none; otherwise only the href changes. */
export function applyLink(editor: Editor, draft: LinkDraft): void {
  const range = editor.isActive("link") ? linkRangeAt(editor, editor.state.selection.from) : null;
  const from = range?.from ?? editor.state.selection.from;
  const to = range?.to ?? editor.state.selection.to;
  const current = editor.state.doc.textBetween(from, to, " ");
  const text = draft.text.trim() === "" ? (current || draft.href) : draft.text;
  const chain = editor.chain().focus();
  if (text === current && from !== to) {
    chain.setTextSelection({ from, to }).setLink({ href: draft.href }).setTextSelection(to).run();
    return;
  }
  chain
    .insertContentAt({ from, to }, { type: "text", text, marks: [{ type: "link", attrs: { href: draft.href } }] })
    .setTextSelection(from + text.length)
    .run();
}

/** Removes the link around the selection, keeping its text. */
export function removeLink(editor: Editor): void {
  const range = linkRangeAt(editor, editor.state.selection.from);
  if (!range) return;
  editor.chain().focus().setTextSelection(range).unsetLink().setTextSelection(range.to).run();
}
