"use client";
// The "/" block menu: a listbox under the caret. The caret stays in the editor, which owns the
// keys (arrows move, Enter inserts, Escape closes: see slashMenuStore), so the editor points at
// the highlighted option with aria-activedescendant.
import { useEffect, useSyncExternalStore } from "react";
import type { Editor } from "@tiptap/react";
import type { SlashMenuStore } from "./slashMenuStore";

const LISTBOX_ID = "slash-menu";
const optionId = (index: number) => `slash-menu-option-${index}`;

export function SlashMenu({ store, editor }: { store: SlashMenuStore; editor: Editor | null }) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const open = state.anchor !== null;

  useEffect(() => {
    const dom = editor && !editor.isDestroyed ? editor.view.dom : null;
    if (!dom) return;
    if (open && state.items.length > 0) {
      dom.setAttribute("aria-controls", LISTBOX_ID);
      dom.setAttribute("aria-activedescendant", optionId(state.selected));
      document.getElementById(optionId(state.selected))?.scrollIntoView({ block: "nearest" });
    } else {
      dom.removeAttribute("aria-controls");
      dom.removeAttribute("aria-activedescendant");
    }
  }, [editor, open, state.items.length, state.selected]);

  if (!state.anchor) return null;
  return (
    <div className="slash-menu" style={{ left: state.anchor.left, top: state.anchor.bottom + 4 }} data-testid="slash-menu">
      {state.items.length === 0 ? (
        <p className="slash-menu-empty muted">No matching block</p>
      ) : (
        <ul role="listbox" id={LISTBOX_ID} aria-label="Insert block">
          {state.items.map((item, index) => (
            <li
              key={item.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === state.selected}
              className={index === state.selected ? "is-selected" : undefined}
              data-testid={`slash-option-${item.id}`}
              // Keep the caret (and so the suggestion) in the editor.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => store.choose(index)}
            >
              {item.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
