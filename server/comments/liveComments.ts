// The process's comments service, for the HTTP API's route handlers (kept on globalThis like
// the live rooms: Next bundles route handlers separately from the custom server).
import type { Comments } from "./Comments.ts";

const globalForComments = globalThis as typeof globalThis & { __collabComments?: Comments };

export function setLiveComments(comments: Comments): void {
  globalForComments.__collabComments = comments;
}

export function clearLiveComments(comments: Comments): void {
  if (globalForComments.__collabComments === comments) globalForComments.__collabComments = undefined;
}

/** The registered service; throws when the server did not set one up (a bug, not input). */
export function getLiveComments(): Comments {
  const comments = globalForComments.__collabComments;
  if (!comments) throw new Error("comments not initialised: start the app with server/main.ts");
  return comments;
}
