// Access policy for the abuse suites: every connection is an editor, like everyoneEdits, but
// shaped like the real policy where it matters to an attacker: authorisation takes time (the
// real one reads sessions and links from the database), and every connection gets its own
// identity, which the server stamps into each awareness state it relays (stampAwareness). So
// the fuzz reaches stamping, and admission limits are tested across the asynchronous gap.
import type { AwarenessIdentity, CollabAccessPolicy } from "../collab/access.ts";
import { sleep } from "./sleep.ts";

/** Default authorisation time: about a session lookup plus a role lookup on a busy database. */
export const IDENTIFIED_EDITORS_DELAY_MS = 20;

/** The identity given to the n-th connection authorised (n from 1). */
export function editorIdentity(n: number): AwarenessIdentity {
  return { id: `editor-${n}`, name: `Editor ${n}`, color: "#74c0fc" };
}

/** True when `user` is exactly an identity this policy gives (what a stamped state carries). */
export function isEditorIdentity(user: unknown): boolean {
  if (typeof user !== "object" || user === null) return false;
  const { id, name, color } = user as Record<string, unknown>;
  const match = typeof id === "string" ? /^editor-(\d+)$/.exec(id) : null;
  if (!match) return false;
  const expected = editorIdentity(Number(match[1]));
  return name === expected.name && color === expected.color;
}

/** Every connection an editor with its own identity, after `delayMs` of "lookup" on average
 *  (spread over 0.5x..1.5x: equal delays would finish concurrent upgrades in lockstep, in one
 *  timer batch, which no database does, and the suites would measure those bursts). */
export function identifiedEditors(delayMs = IDENTIFIED_EDITORS_DELAY_MS): CollabAccessPolicy & { readonly authorized: number } {
  let authorized = 0;
  return {
    get authorized() {
      return authorized;
    },
    async authorize() {
      await sleep(delayMs * (0.5 + Math.random()));
      const identity = editorIdentity(++authorized);
      return { ok: true, grant: { role: "editor", identity, expiresAt: null, recheck: async () => "editor" } };
    },
    onChange() {
      return () => undefined;
    },
  };
}
