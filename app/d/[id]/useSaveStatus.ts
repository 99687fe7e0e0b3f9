"use client";
// The save-state badge (lib/sync/saveStatus.ts) kept current from the session's durable-save
// tracker, reconnect scheduler and socket, plus the leave-page guard while changes are unsaved.
import { useEffect, useReducer } from "react";
import { deriveSaveStatus, saveStatusText, type SaveStatus } from "@/lib/sync/saveStatus";
import type { CollabSession } from "./collabSession";
import { canEdit } from "@/lib/access/roles";
import { isBrowserOnline } from "./browserOnline.ts";

/** How often the "Reconnecting in N s" countdown is refreshed. */
const COUNTDOWN_REFRESH_MS = 250;

export interface SaveStatusView {
  status: SaveStatus;
  text: string;
}

export function useSaveStatus(session: CollabSession | null): SaveStatusView {
  // Everything is read from the session at render time; events only ask for a new render.
  const [, rerender] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    if (!session) return;
    const { saveTracker, reconnect, provider } = session;
    const unsubscribeTracker = saveTracker.subscribe(rerender);
    const unsubscribeReconnect = reconnect.subscribe(rerender);
    provider.on("status", rerender);
    window.addEventListener("online", rerender);
    window.addEventListener("offline", rerender);
    rerender();
    return () => {
      unsubscribeTracker();
      unsubscribeReconnect();
      provider.off("status", rerender);
      window.removeEventListener("online", rerender);
      window.removeEventListener("offline", rerender);
    };
  }, [session]);

  const nextAttemptAt = session?.reconnect.snapshot.nextAttemptAt ?? null;
  useEffect(() => {
    if (nextAttemptAt === null) return;
    const interval = setInterval(rerender, COUNTDOWN_REFRESH_MS);
    return () => clearInterval(interval);
  }, [nextAttemptAt]);

  // Closing or reloading the tab with unacknowledged changes asks first. The local copy
  // keeps them, but it is this browser only: the person may not come back to it.
  useEffect(() => {
    if (!session) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      // Someone who cannot edit has nothing to save (their session sends no updates).
      if (!canEdit(session.liveRole.role) || !session.saveTracker.hasUnsavedChanges) return;
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [session]);

  const status = session
    ? deriveSaveStatus({
        saved: session.saveTracker.saved,
        connected: session.provider.wsconnected,
        browserOnline: isBrowserOnline(),
        unsavedChanges: session.saveTracker.hasUnsavedChanges,
        nextAttemptAt,
        failedAttempts: session.reconnect.snapshot.attempt,
        now: Date.now(),
      })
    : ({ kind: "saving" } as const);
  return { status, text: saveStatusText(status) };
}
