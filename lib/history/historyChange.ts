// How a version shown beside another marks what changed (server/history/versionTasks.ts writes
// it, the history panel's read-only editor renders it: lib/editor/historyChangeMarks.ts).

/** Text only the shown version has ("added") or only the one it is compared with ("removed"). */
export type HistoryChange = "added" | "removed";

/** The mark on changed text: attrs { change: HistoryChange, author: author id or null }. */
export const HISTORY_CHANGE_MARK = "historyChange";

/** The node attribute on an added or removed node (an image, a whole table, a rule). */
export const HISTORY_CHANGE_ATTRIBUTE = "historyChange";
