// A version saved by hand is made by the server from what it has: wait until this page's
// edits are committed there first, so "Save version" right after typing includes the typing.
import type { DurableSaveTracker } from "@/lib/sync/DurableSaveTracker";

/** Resolves once the tracker has nothing unsaved, or after `timeoutMs` (offline: save anyway). */
export function untilSaved(tracker: DurableSaveTracker, timeoutMs = 5_000): Promise<void> {
  if (!tracker.hasUnsavedChanges) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const unsubscribe = tracker.subscribe(() => {
      if (!tracker.hasUnsavedChanges) done();
    });
  });
}
