// The save-state badge: one of four labels, derived from the durable-save tracker, the
// socket, the browser's online flag and the reconnect schedule. Pure, so the rules are
// tested without a browser.

export const SaveStatusLabel = {
  SAVED: "Saved",
  SAVING: "Saving…",
  /** Offline with nothing typed since the last save: nothing to keep, so no promise about it. */
  OFFLINE: "Offline",
  OFFLINE_KEPT: "Offline — changes kept on this device",
} as const;

export type SaveStatus =
  | { kind: "saved" }
  | { kind: "saving" }
  | { kind: "offline"; keptLocally: boolean }
  | { kind: "reconnecting"; seconds: number };

export interface SaveStatusInput {
  /** The server has committed every local change (DurableSaveTracker.saved). */
  saved: boolean;
  /** The socket is open. */
  connected: boolean;
  /** navigator.onLine. */
  browserOnline: boolean;
  /** Local changes the server has not acknowledged yet. */
  unsavedChanges: boolean;
  /** Epoch ms of the next reconnect attempt, null when none is waiting. */
  nextAttemptAt: number | null;
  /** Reconnect attempts since the last successful sync (0: nothing has failed yet). */
  failedAttempts: number;
  now: number;
}

/**
 * Saved > Saving… (socket open, acks pending) > Offline (no socket and either the browser is
 * offline or local changes are not acknowledged: "changes kept on this device" only when there
 * are such changes) > Reconnecting
 * in N s (nothing unsaved, waiting for the next attempt) > an attempt in flight: Offline if
 * one has failed already, else Saving… (the page's first connection).
 */
export function deriveSaveStatus(input: SaveStatusInput): SaveStatus {
  if (input.saved) return { kind: "saved" };
  if (input.connected) return { kind: "saving" };
  if (!input.browserOnline || input.unsavedChanges) return { kind: "offline", keptLocally: input.unsavedChanges };
  if (input.nextAttemptAt !== null) {
    const seconds = Math.max(1, Math.ceil((input.nextAttemptAt - input.now) / 1000));
    return { kind: "reconnecting", seconds };
  }
  return input.failedAttempts > 0 ? { kind: "offline", keptLocally: false } : { kind: "saving" };
}

export function saveStatusText(status: SaveStatus): string {
  switch (status.kind) {
    case "saved":
      return SaveStatusLabel.SAVED;
    case "saving":
      return SaveStatusLabel.SAVING;
    case "offline":
      return status.keptLocally ? SaveStatusLabel.OFFLINE_KEPT : SaveStatusLabel.OFFLINE;
    case "reconnecting":
      return `Reconnecting in ${status.seconds} s`;
  }
}
