"use client";
// The collaboration session open for each document on this page, for the parts of the page
// outside the editor that work on the same Y.Doc (the live title, DocumentTitle.tsx). The
// session is opened by the editor (DocumentEditor.tsx: a guest names themselves first), so
// it is looked up here rather than passed down.
import { useCallback, useSyncExternalStore } from "react";
import type { CollabSession } from "./collabSession";

const sessions = new Map<string, CollabSession>();
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

/** Makes `session` the open session of its document (openCollabSession does). */
export function publishSession(session: CollabSession): void {
  sessions.set(session.documentId, session);
  notify();
}

/** Forgets `session` if it is still its document's open one (its destroy() does). */
export function withdrawSession(session: CollabSession): void {
  if (sessions.get(session.documentId) !== session) return;
  sessions.delete(session.documentId);
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The open session of `documentId`, or null until the editor has opened one. */
export function useOpenSession(documentId: string): CollabSession | null {
  const read = useCallback(() => sessions.get(documentId) ?? null, [documentId]);
  return useSyncExternalStore(subscribe, read, () => null);
}
