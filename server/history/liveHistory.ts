// The process's VersionRecorder, for the version history's route handlers (app/api/documents/
// [id]/versions/...).
import type { VersionRecorder } from "./VersionRecorder.ts";
import { processService } from "../processService.ts";

const liveHistory = processService<VersionRecorder>("versionRecorder", "version history");

export const setLiveHistory = liveHistory.set;
export const clearLiveHistory = liveHistory.clear;
export const getLiveHistory = liveHistory.get;
