// Renders what changed in a version (lib/history/historyChange.ts) in a read-only editor: the
// mark on changed text becomes <ins> or <del> (underlined or struck through in its author's
// colour), and an added or removed node carries data-history-change for the same styling.
// Only the history panel's preview editor has these; documents never contain them.
import { Extension, Mark, mergeAttributes, type Extensions } from "@tiptap/core";
import { HISTORY_CHANGE_ATTRIBUTE, HISTORY_CHANGE_MARK } from "../history/historyChange.ts";

const COLOR = /^#[0-9a-f]{6}$/i;

const HistoryChangeMark = Mark.create({
  name: HISTORY_CHANGE_MARK,
  // Beside every other mark, never merged with a neighbour of another change or author.
  excludes: "",
  addAttributes() {
    return {
      change: { default: "added", rendered: false },
      author: { default: null, rendered: false },
      /** The author's colour (#rrggbb), filled in by the panel from the answer's authors. */
      color: { default: null, rendered: false },
      /** "Added by Ann", said by screen readers and shown on hover. */
      label: { default: null, rendered: false },
    };
  },
  renderHTML({ mark, HTMLAttributes }) {
    const removed = mark.attrs.change === "removed";
    const color = typeof mark.attrs.color === "string" && COLOR.test(mark.attrs.color) ? mark.attrs.color : null;
    return [
      removed ? "del" : "ins",
      mergeAttributes(HTMLAttributes, {
        class: "history-change",
        "data-change": removed ? "removed" : "added",
        ...(color ? { style: `--change-color: ${color}` } : {}),
        ...(mark.attrs.label ? { title: mark.attrs.label } : {}),
      }),
      0,
    ];
  },
});

/** The editor schema's extensions plus the change marks, for `nodeTypes` (every node name). */
export function historyChangeExtensions(nodeTypes: string[]): Extensions {
  return [
    HistoryChangeMark,
    Extension.create({
      name: "historyChangeNodes",
      addGlobalAttributes() {
        return [
          {
            types: nodeTypes,
            attributes: {
              [HISTORY_CHANGE_ATTRIBUTE]: {
                default: null,
                renderHTML: (attributes) => (attributes[HISTORY_CHANGE_ATTRIBUTE] ? { "data-history-change": attributes[HISTORY_CHANGE_ATTRIBUTE] } : {}),
              },
            },
          },
        ];
      },
    }),
  ];
}
