// Access policy for tests and benchmarks of the sync layer itself (protocol, persistence,
// fan-out, limits): every connection is an editor and awareness is relayed as sent. Access
// control has its own tests against the real policy (server/access/*.test.ts).
import type { CollabAccessPolicy } from "../collab/access.ts";

export const everyoneEdits: CollabAccessPolicy = {
  async authorize() {
    return { ok: true, grant: { role: "editor", identity: null, expiresAt: null, recheck: async () => "editor" } };
  },
  onChange() {
    return () => undefined;
  },
};
