// Comment anchors in the editor: the commented ranges drawn as ProseMirror decorations (never
// marks: they would be content, and commenters cannot change content), each range resolved from
// the thread's Yjs relative positions through y-prosemirror's mapping, so it follows everyone's
// edits. A range whose text was deleted collapses: the thread is "detached".
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState, type Transaction } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import * as Y from "yjs";

export interface CommentAnchorInput {
  id: string;
  /** Base64 of encoded relative positions (lib/comments/commentModel.ts ThreadJson.anchor). */
  start: string;
  end: string;
  resolved: boolean;
}

/** Where a thread's range is now; null: its text is gone (detached). */
export type CommentRanges = Map<string, { from: number; to: number } | null>;

interface HighlightState {
  anchors: CommentAnchorInput[];
  activeId: string | null;
  /** Show resolved threads' ranges too (while the resolved list is shown). */
  showResolved: boolean;
  ranges: CommentRanges;
  decorations: DecorationSet;
}

export const commentHighlightsKey = new PluginKey<HighlightState>("commentHighlights");

type Meta = Partial<Pick<HighlightState, "anchors" | "activeId" | "showResolved">>;

export interface CommentHighlightsOptions {
  /** Told the ranges whenever they change (the sidebar shows detached threads). */
  onRanges: (ranges: CommentRanges) => void;
  /** A click in a highlighted range. */
  onSelect: (threadId: string) => void;
}

/** Sets the threads (and which one is active) the highlights are drawn for. */
export function setCommentHighlights(state: EditorState, dispatch: (tr: Transaction) => void, meta: Meta): void {
  dispatch(state.tr.setMeta(commentHighlightsKey, meta).setMeta("addToHistory", false));
}

export const CommentHighlights = Extension.create<CommentHighlightsOptions>({
  name: "commentHighlights",
  addOptions() {
    return { onRanges: () => {}, onSelect: () => {} };
  },
  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<HighlightState>({
        key: commentHighlightsKey,
        state: {
          init: () => ({ anchors: [], activeId: null, showResolved: false, ranges: new Map(), decorations: DecorationSet.empty }),
          apply(tr, value, _old, state) {
            const meta = tr.getMeta(commentHighlightsKey) as Meta | undefined;
            const next = meta ? { ...value, ...meta } : value;
            // Changes that came from Yjs (others' edits, the first sync) update the mapping before
            // they reach the editor: resolve the anchors again. Local typing is mapped (the mapping
            // catches up only after this transaction), which is exact for the local change.
            if (meta || tr.getMeta(ySyncPluginKey) !== undefined) return resolveAll(next, state);
            if (!tr.docChanged) return next;
            const ranges: CommentRanges = new Map();
            for (const [id, range] of next.ranges) {
              if (!range) ranges.set(id, null);
              else {
                const from = tr.mapping.map(range.from, 1);
                const to = tr.mapping.map(range.to, -1);
                ranges.set(id, from < to ? { from, to } : null);
              }
            }
            return withDecorations({ ...next, ranges }, state);
          },
        },
        view() {
          let last: CommentRanges | null = null;
          return {
            update(view) {
              const { ranges } = commentHighlightsKey.getState(view.state)!;
              if (ranges !== last) {
                last = ranges;
                options.onRanges(ranges);
              }
            },
          };
        },
        props: {
          decorations: (state) => commentHighlightsKey.getState(state)?.decorations,
          handleClick(view, pos) {
            const { ranges, anchors } = commentHighlightsKey.getState(view.state)!;
            const hit = anchors.find((a) => {
              const range = ranges.get(a.id);
              return range && pos >= range.from && pos <= range.to;
            });
            if (hit) options.onSelect(hit.id);
            return false;
          },
        },
      }),
    ];
  },
});

function resolveAll(value: HighlightState, state: EditorState): HighlightState {
  const binding = ySyncPluginKey.getState(state)?.binding as { doc: Y.Doc; type: Y.XmlFragment; mapping: Map<unknown, unknown> } | undefined;
  const ranges: CommentRanges = new Map();
  for (const anchor of value.anchors) {
    if (!binding) {
      ranges.set(anchor.id, value.ranges.get(anchor.id) ?? null);
      continue;
    }
    const from = resolve(binding, anchor.start);
    const to = resolve(binding, anchor.end);
    ranges.set(anchor.id, from !== null && to !== null && from < to && to <= state.doc.content.size ? { from, to } : null);
  }
  return withDecorations({ ...value, ranges }, state);
}

function resolve(binding: { doc: Y.Doc; type: Y.XmlFragment; mapping: Map<unknown, unknown> }, encoded: string): number | null {
  try {
    const position = Y.decodeRelativePosition(base64ToBytes(encoded));
    return relativePositionToAbsolutePosition(binding.doc, binding.type, position, binding.mapping as never);
  } catch {
    return null;
  }
}

function withDecorations(value: HighlightState, state: EditorState): HighlightState {
  const decorations: Decoration[] = [];
  for (const anchor of value.anchors) {
    const range = value.ranges.get(anchor.id);
    if (!range || (anchor.resolved && !value.showResolved && anchor.id !== value.activeId)) continue;
    const active = anchor.id === value.activeId;
    decorations.push(
      Decoration.inline(range.from, range.to, {
        class: `comment-highlight${active ? " comment-highlight-active" : ""}`,
        "data-thread-id": anchor.id,
      }),
    );
  }
  return { ...value, decorations: DecorationSet.create(state.doc, decorations) };
}

/** The current selection as a comment anchor (encoded relative positions) and its text; null
 *  for an empty selection or before the editor is bound to the Y.Doc. */
export function selectionAnchor(state: EditorState): { start: string; end: string; quote: string } | null {
  const { from, to, empty } = state.selection;
  if (empty) return null;
  const binding = ySyncPluginKey.getState(state)?.binding as { type: Y.XmlFragment; mapping: Map<unknown, unknown> } | undefined;
  if (!binding) return null;
  const encode = (pos: number) => bytesToBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, binding.type, binding.mapping as never)));
  const quote = state.doc.textBetween(from, to, " ", " ").trim();
  if (quote === "") return null;
  return { start: encode(from), end: encode(to), quote };
}

function base64ToBytes(value: string): Uint8Array {
  const binary = atob(value);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
