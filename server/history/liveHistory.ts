// The process's VersionRecorder, for the version history's route handlers (app/api/documents/
// [id]/versions/...). On globalThis like liveRooms: Next bundles route handlers apart from the
// custom server.
import type { VersionRecorder } from "./VersionRecorder.ts";

const globalForHistory = globalThis as typeof globalThis & { __versionRecorder?: VersionRecorder };

export function setLiveHistory(recorder: VersionRecorder): void {
  globalForHistory.__versionRecorder = recorder;
}

export function clearLiveHistory(recorder: VersionRecorder): void {
  if (globalForHistory.__versionRecorder === recorder) globalForHistory.__versionRecorder = undefined;
}

/** The registered recorder; throws when no server runs in this process (a bug, not input). */
export function getLiveHistory(): VersionRecorder {
  const recorder = globalForHistory.__versionRecorder;
  if (!recorder) throw new Error("version history not initialised: start the app with server/main.ts");
  return recorder;
}
