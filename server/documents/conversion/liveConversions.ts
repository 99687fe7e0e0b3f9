// The process's conversion pool, for the content API's route handlers. Kept on globalThis like
// the live rooms (server/collab/liveRooms.ts): Next bundles route handlers separately from the
// custom server, and the pool (which starts worker threads from a file of ours) must be the
// server's, never a bundled copy.
import type { ConversionResult, ConversionTask } from "./conversionTasks.ts";

/** What route handlers need of the pool. */
export interface Conversions {
  /** Runs `task` off the main thread; `transfer` lists buffers the task may take over (the
   *  caller must not use them afterwards). Rejects with a ConversionError. */
  run(task: ConversionTask, transfer?: ArrayBuffer[]): Promise<ConversionResult>;
}

const globalForConversions = globalThis as typeof globalThis & { __contentConversions?: Conversions };

/** Registers the server's pool (startServer does). */
export function setLiveConversions(conversions: Conversions): void {
  globalForConversions.__contentConversions = conversions;
}

/** Forgets `conversions` if they are the registered ones (a closing server). */
export function clearLiveConversions(conversions: Conversions): void {
  if (globalForConversions.__contentConversions === conversions) globalForConversions.__contentConversions = undefined;
}

/** The registered pool; throws when no server runs in this process (a bug, not input). */
export function getLiveConversions(): Conversions {
  const conversions = globalForConversions.__contentConversions;
  if (!conversions) throw new Error("conversion pool not initialised: start the app with server/main.ts");
  return conversions;
}
