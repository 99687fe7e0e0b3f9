"use client";
// The "@" menu: people to mention, those who can open the document first (see SuggestionMenu).
import type { MentionPerson } from "@/lib/editor/mentionSuggestion";
import type { SlashMenuStore } from "./slashMenuStore";
import { SuggestionMenu } from "./SuggestionMenu";

export function MentionMenu({ store }: { store: SlashMenuStore<MentionPerson> }) {
  return (
    <SuggestionMenu
      store={store}
      label="Mention someone"
      emptyText="Nobody matches"
      describe={(person) => (person.hasAccess ? person.name : `${person.name} (cannot open this document)`)}
      verb="mentions"
      itemKey={(person) => person.userId}
      renderItem={(person) => (
        <>
          {person.name}
          {!person.hasAccess && <span className="muted"> · cannot open it</span>}
        </>
      )}
      testId="mention-menu"
      optionTestId={() => "mention-option"}
      className="mention-menu"
    />
  );
}
