"use client";
// "@" mentions in the editor: the suggestion extension (bound once, with the editor), its menu's
// store, and what happens after a mention — the server notifies the person, or answers that
// they cannot open the document (MentionAccessNotice then offers to share, or to ask an owner).
import { useState } from "react";
import type { Extensions } from "@tiptap/core";
import { MentionSuggestion, type MentionPerson } from "@/lib/editor/mentionSuggestion";
import { announce } from "@/app/components/announcements";
import { createSuggestionMenuStore, type SlashMenuStore } from "./slashMenuStore";
import type { MentionWithoutAccess } from "./MentionAccessNotice";

export interface Mentions {
  store: SlashMenuStore<MentionPerson>;
  /** Editor extensions: none for a share link's guest (mentions need an account). */
  extensions: Extensions;
  withoutAccess: MentionWithoutAccess | null;
  /** Closes the notice; after a share, mentions them again so they are notified. */
  resolve(shared: boolean): void;
}

export function useMentions(documentId: string, enabled: boolean): Mentions {
  const [store] = useState(() => createSuggestionMenuStore<MentionPerson>());
  const [withoutAccess, setWithoutAccess] = useState<MentionWithoutAccess | null>(null);
  const [pending, setPending] = useState<{ userId: string; excerpt: string } | null>(null);
  const base = `/api/documents/${encodeURIComponent(documentId)}/mentions`;

  async function mention(person: { userId: string; name: string }, excerpt: string): Promise<void> {
    const response = await fetch(base, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: person.userId, excerpt }) }).catch(() => null);
    if (!response?.ok) return;
    const answer = (await response.json()) as { notified: boolean; hasAccess: boolean; canShare: boolean };
    if (answer.hasAccess) {
      if (answer.notified) announce(`${person.name} was notified.`);
      return;
    }
    setPending({ userId: person.userId, excerpt });
    setWithoutAccess({ userId: person.userId, name: person.name, canShare: answer.canShare });
  }

  const [extensions] = useState<Extensions>(() =>
    enabled
      ? [
          MentionSuggestion.configure({
            people: async (query) => {
              const response = await fetch(`${base}?${new URLSearchParams({ q: query })}`).catch(() => null);
              if (!response?.ok) return [];
              return ((await response.json()) as { candidates: MentionPerson[] }).candidates;
            },
            onMention: (person, excerpt) => void mention(person, excerpt),
            render: store.render,
          }),
        ]
      : [],
  );

  return {
    store,
    extensions,
    withoutAccess,
    resolve(shared) {
      const person = withoutAccess;
      setWithoutAccess(null);
      if (shared && person && pending) void mention(person, pending.excerpt);
      setPending(null);
    },
  };
}
