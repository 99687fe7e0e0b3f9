// The process's conversion pool, for the content API's route handlers. The pool (which starts
// worker threads from a file of ours) must be the server's, never a bundled copy.
import type { ConversionResult, ConversionTask } from "./conversionTasks.ts";
import { processService } from "../../processService.ts";

/** What route handlers need of the pool. */
export interface Conversions {
  /** Runs `task` off the main thread; `transfer` lists buffers the task may take over (the
   *  caller must not use them afterwards). Rejects with a ConversionError. */
  run(task: ConversionTask, transfer?: ArrayBuffer[]): Promise<ConversionResult>;
}

const liveConversions = processService<Conversions>("conversions", "conversion pool");

export const setLiveConversions = liveConversions.set;
export const clearLiveConversions = liveConversions.clear;
export const getLiveConversions = liveConversions.get;
