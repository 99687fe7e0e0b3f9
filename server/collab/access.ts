// What the collab server needs to know about access, independent of how accounts work:
// at the upgrade, who is connecting and with which role; later, when access to a document
// changed, so open sockets can be re-checked. server/access/collabAccessPolicy.ts is the
// real implementation (sessions, share links); tests of the sync layer pass their own.
import type { IncomingMessage } from "node:http";
import type { Role } from "../../lib/access/roles.ts";

/** Who a connection is, as others see it in awareness (stamped by the server). */
export interface AwarenessIdentity {
  id: string;
  name: string;
  color: string;
}

export interface Grant {
  role: Role;
  /** Stamped into every awareness state the connection sends; null leaves awareness as sent. */
  identity: AwarenessIdentity | null;
  /** The signed-in account behind the connection (recorded as a document's last editor);
   *  absent for a link's guest. */
  accountId?: string;
  /** Who the connection's edits are attributed to (server/attribution/): the account, or all
   *  guests of one share link. Absent: the awareness identity, if any, stands in. */
  author?: { key: string; userId: string | null; name: string };
  /** When the grant lapses on its own (a link's expiry), in ms since the epoch. */
  expiresAt: number | null;
  /** Re-reads the grant from its source; null when access is gone (closed 4403), a Refusal
   *  when the socket must close with a more specific code (the document went to Trash). */
  recheck(): Promise<Role | null | Refusal>;
  /** The sign-in session the grant rides on: when it ends (sign-out, password change or reset,
   *  account deleted, expiry) the socket is closed with 4401. Absent for link guests. */
  sessionId?: string;
}

/** A re-check's answer that closes the socket with its own named code and reason. */
export interface Refusal {
  closeCode: number;
  reason: string;
}

export type Authorization =
  | { ok: true; grant: Grant }
  /** 410: the document is in Trash. */
  | { ok: false; status: 401 | 403 | 410; reason: string };

export interface CollabAccessPolicy {
  /** Decides an upgrade to `documentId` before anything is loaded. */
  authorize(request: IncomingMessage, documentId: string): Promise<Authorization>;
  /** Calls `listener` whenever access to a document may have changed (null: to any document,
   *  e.g. notifications from other instances were lost); returns an unsubscribe. */
  onChange(listener: (documentId: string | null) => void): () => void;
  /** Which of `sessionIds` are still live; polled for the sessions of open sockets. */
  liveSessions?(sessionIds: string[]): Promise<Set<string>>;
}
