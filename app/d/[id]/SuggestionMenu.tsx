"use client";
// A suggestion menu under the caret (the "/" block menu, the "@" mention menu): a listbox the
// editor drives. The caret stays in the editor, which owns the keys (arrows move, Enter
// chooses, Escape closes: see slashMenuStore). The highlighted option is announced through a
// status line: aria-activedescendant is not allowed on the editor's role="textbox" (axe:
// aria-allowed-attr).
import { useSyncExternalStore, type ReactNode } from "react";
import type { SlashMenuStore } from "./slashMenuStore";

export interface SuggestionMenuProps<T> {
  store: SlashMenuStore<T>;
  /** The listbox's name ("Insert block"). */
  label: string;
  /** Shown and announced when nothing matches. */
  emptyText: string;
  /** What the status line says of the highlighted item (its position is added). */
  describe: (item: T) => string;
  /** Enter's action in the status line ("inserts"). */
  verb: string;
  itemKey: (item: T) => string;
  renderItem: (item: T) => ReactNode;
  testId: string;
  optionTestId: (item: T) => string;
  className?: string;
}

export function SuggestionMenu<T>({ store, label, emptyText, describe, verb, itemKey, renderItem, testId, optionTestId, className = "" }: SuggestionMenuProps<T>) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  if (!state.anchor) return null;
  const selected = state.items[state.selected];
  return (
    <div className={`slash-menu ${className}`} style={{ left: state.anchor.left, top: state.anchor.bottom + 4 }} data-testid={testId}>
      <p className="visually-hidden" role="status" data-testid={`${testId}-status`}>
        {selected ? `${describe(selected)}, ${state.selected + 1} of ${state.items.length}. Enter ${verb}, Escape closes.` : emptyText}
      </p>
      {state.items.length === 0 ? (
        <p className="slash-menu-empty muted" aria-hidden>
          {emptyText}
        </p>
      ) : (
        <ul role="listbox" aria-label={label}>
          {state.items.map((item, index) => (
            <li
              key={itemKey(item)}
              role="option"
              aria-selected={index === state.selected}
              className={index === state.selected ? "is-selected" : undefined}
              data-testid={optionTestId(item)}
              // Keep the caret (and so the suggestion) in the editor.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => store.choose(index)}
            >
              {renderItem(item)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
