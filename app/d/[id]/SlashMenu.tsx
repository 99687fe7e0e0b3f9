"use client";
// The "/" block menu (see SuggestionMenu).
import type { BlockCommand } from "@/lib/editor/blockCommands";
import type { SlashMenuStore } from "./slashMenuStore";
import { SuggestionMenu } from "./SuggestionMenu";

export function SlashMenu({ store }: { store: SlashMenuStore<BlockCommand> }) {
  return (
    <SuggestionMenu
      store={store}
      label="Insert block"
      emptyText="No matching block"
      describe={(item) => item.label}
      verb="inserts"
      itemKey={(item) => item.id}
      renderItem={(item) => item.label}
      testId="slash-menu"
      optionTestId={(item) => `slash-option-${item.id}`}
    />
  );
}
