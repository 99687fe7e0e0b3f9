// Who owns which Yjs client id on a document, as the server recorded it (server/attribution/),
// and how the editor turns a client id and clock into a person and a time.

export interface ClientAuthor {
  clientId: number;
  /** The account; null for a share link's guest. */
  userId: string | null;
  name: string;
  color: string;
  /** ISO times: when the server first and last applied an edit with this client id. */
  firstSeen: string;
  lastSeen: string;
  /** Checkpoints [clock, ms since the epoch], at most one a minute (see timeOfClock). */
  times: [number, number][];
}

/** The time the item at `clock` was written: at or after `from` (ms) and, when a later
 *  checkpoint exists, before `until`; null when nothing was recorded (edits made before the
 *  server recorded authors). */
export function timeOfClock(times: readonly [number, number][], clock: number): { from: number; until: number | null } | null {
  let found = -1;
  for (let i = 0; i < times.length && times[i][0] <= clock; i++) found = i;
  if (found < 0) return null;
  return { from: times[found][1], until: found + 1 < times.length ? times[found + 1][1] : null };
}
