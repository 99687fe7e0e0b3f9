// The bridge between @tiptap/suggestion's render callbacks (called by the editor plugin) and
// the React menu (SlashMenu): the callbacks write a snapshot, the menu subscribes to it.
import type { SuggestionKeyDownProps, SuggestionOptions, SuggestionProps } from "@tiptap/suggestion";
import type { BlockCommand } from "@/lib/editor/blockCommands";

export interface SlashMenuState<T = BlockCommand> {
  items: T[];
  selected: number;
  /** Where the typed "/" is on screen (viewport coordinates). */
  anchor: { left: number; bottom: number } | null;
  choose: ((item: T) => void) | null;
}

export interface SlashMenuStore<T = BlockCommand> {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => SlashMenuState<T>;
  /** Hands to SlashCommand.configure({ render }) (or another suggestion's render, e.g. "@"). */
  render: NonNullable<SuggestionOptions<T, T>["render"]>;
  /** Chooses the item at `index` (a click on an option). */
  choose: (index: number) => void;
}

export function createSlashMenuStore(): SlashMenuStore<BlockCommand> {
  return createSuggestionMenuStore<BlockCommand>();
}

/** The same for any suggestion menu: the "@" mention menu's items are people. */
export function createSuggestionMenuStore<T>(): SlashMenuStore<T> {
  const CLOSED: SlashMenuState<T> = { items: [], selected: 0, anchor: null, choose: null };
  let state = CLOSED;
  const listeners = new Set<() => void>();
  const set = (next: SlashMenuState<T>) => {
    state = next;
    listeners.forEach((listener) => listener());
  };
  const fromProps = (props: SuggestionProps<T, T>, selected: number): SlashMenuState<T> => {
    const rect = props.clientRect?.();
    return {
      items: props.items,
      selected: Math.min(selected, Math.max(0, props.items.length - 1)),
      anchor: rect ? { left: rect.left, bottom: rect.bottom } : null,
      choose: props.command,
    };
  };
  const choose = (index: number) => {
    const item = state.items[index];
    if (item && state.choose) state.choose(item);
  };
  const onKeyDown = ({ event }: SuggestionKeyDownProps): boolean => {
    if (state.items.length === 0) return false;
    const count = state.items.length;
    switch (event.key) {
      case "ArrowDown":
        set({ ...state, selected: (state.selected + 1) % count });
        return true;
      case "ArrowUp":
        set({ ...state, selected: (state.selected - 1 + count) % count });
        return true;
      case "Enter":
      case "Tab":
        choose(state.selected);
        return true;
      default:
        return false;
    }
  };
  return {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => state,
    choose,
    render: () => ({
      onStart: (props) => set(fromProps(props, 0)),
      // A new query starts the selection over at the first match.
      onUpdate: (props) => set(fromProps(props, 0)),
      onExit: () => set(CLOSED),
      onKeyDown,
    }),
  };
}
