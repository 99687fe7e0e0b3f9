"use client";
// The "/" block menu: a listbox under the caret. The caret stays in the editor, which owns the
// keys (arrows move, Enter inserts, Escape closes: see slashMenuStore). The highlighted option
// is announced through a status line: aria-activedescendant is not allowed on the editor's
// role="textbox" (axe: aria-allowed-attr).
import { useSyncExternalStore } from "react";
import type { SlashMenuStore } from "./slashMenuStore";

export function SlashMenu({ store }: { store: SlashMenuStore }) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  if (!state.anchor) return null;
  const selected = state.items[state.selected];
  return (
    <div className="slash-menu" style={{ left: state.anchor.left, top: state.anchor.bottom + 4 }} data-testid="slash-menu">
      <p className="visually-hidden" role="status" data-testid="slash-menu-status">
        {selected ? `${selected.label}, ${state.selected + 1} of ${state.items.length}. Enter inserts, Escape closes.` : "No matching block"}
      </p>
      {state.items.length === 0 ? (
        <p className="slash-menu-empty muted" aria-hidden>
          No matching block
        </p>
      ) : (
        <ul role="listbox" aria-label="Insert block">
          {state.items.map((item, index) => (
            <li
              key={item.id}
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
