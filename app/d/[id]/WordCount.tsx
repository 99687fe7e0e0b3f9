"use client";
// Words and characters of the document (CharacterCount's counts, which follow every change,
// remote ones included, a moment later: app/d/[id]/documentSummary.ts).
import type { Editor } from "@tiptap/react";
import { useDocumentSummary } from "./documentSummary";

export function WordCount({ editor }: { editor: Editor | null }) {
  const counts = useDocumentSummary(editor);
  if (!counts) return null;
  return (
    <p className="word-count muted" data-testid="word-count">
      <span data-testid="word-count-words">{counts.words === 1 ? "1 word" : `${counts.words} words`}</span>
      {" · "}
      <span data-testid="word-count-characters">{counts.characters === 1 ? "1 character" : `${counts.characters} characters`}</span>
    </p>
  );
}
