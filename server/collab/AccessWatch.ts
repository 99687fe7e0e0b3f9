// Keeps open sockets within their access: when the policy says access to a document changed
// (a link revoked, a role lowered, on any instance) every socket on it is re-checked, and a
// grant that expires (a link's) is re-checked when it does.
import { CloseCode } from "../../lib/closeCodes.ts";
import { ROLES } from "../../lib/access/roles.ts";
import type { Logger } from "../log.ts";
import type { CollabAccessPolicy } from "./access.ts";
import type { Connection } from "./Connection.ts";

/** setTimeout's longest delay (~24.8 days); longer expiries are re-armed until they are due. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How often the sessions behind open sockets are looked up. A session can end in many ways
 *  (sign-out, password change or reset, account deletion, expiry, on any instance, or from the
 *  admin command line), and one indexed query per interval sees them all: sockets close within
 *  this interval plus a query. */
export const SESSION_CHECK_INTERVAL_MS = 1_000;

export class AccessWatch {
  private readonly unsubscribe: () => void;
  private readonly sessionTimer: NodeJS.Timeout | null = null;
  private checkingSessions = false;

  constructor(
    private readonly access: CollabAccessPolicy,
    private readonly connections: ReadonlySet<Connection>,
    private readonly log: Logger,
  ) {
    this.unsubscribe = access.onChange((documentId) => {
      for (const connection of this.connections) {
        if (connection.documentId === documentId) void this.recheck(connection);
      }
    });
    if (access.liveSessions) {
      this.sessionTimer = setInterval(() => void this.checkSessions(), SESSION_CHECK_INTERVAL_MS);
      this.sessionTimer.unref();
    }
  }

  /** A grant with an expiry is re-checked when it lapses, which closes the socket. */
  watchExpiry(connection: Connection): void {
    const { expiresAt } = connection.grant;
    if (expiresAt === null) return;
    const timer = setTimeout(
      () => (Date.now() < expiresAt ? this.watchExpiry(connection) : void this.recheck(connection)),
      Math.min(Math.max(0, expiresAt - Date.now()) + 50, MAX_TIMER_MS),
    );
    timer.unref();
    connection.socket.once("close", () => clearTimeout(timer));
  }

  stop(): void {
    this.unsubscribe();
    if (this.sessionTimer) clearInterval(this.sessionTimer);
  }

  /** Closes (4401) every socket whose sign-in session has ended. */
  private async checkSessions(): Promise<void> {
    if (this.checkingSessions) return; // a slow database: skip a beat rather than pile up queries
    const bySession = new Map<string, Connection[]>();
    for (const connection of this.connections) {
      const { sessionId } = connection.grant;
      if (sessionId === undefined) continue;
      const list = bySession.get(sessionId);
      if (list) list.push(connection);
      else bySession.set(sessionId, [connection]);
    }
    if (bySession.size === 0) return;
    this.checkingSessions = true;
    let live: Set<string>;
    try {
      live = await this.access.liveSessions!([...bySession.keys()]);
    } catch (error) {
      this.log.warn("session check failed; keeping the connections", { error: String(error) });
      return;
    } finally {
      this.checkingSessions = false;
    }
    for (const [sessionId, connections] of bySession) {
      if (live.has(sessionId)) continue;
      for (const connection of connections) {
        if (connection.open) connection.close(CloseCode.UNAUTHENTICATED, "signed out");
      }
    }
  }

  /**
   * Re-reads a connection's grant. Gone: closed with 4403 (the client stops reconnecting and
   * says why). Lowered: closed with 4403 too, so the client reloads its role rather than keep
   * typing edits the server would drop. Raised: kept, the client learns it on its next load.
   */
  private async recheck(connection: Connection): Promise<void> {
    let role;
    try {
      role = await connection.grant.recheck();
    } catch (error) {
      this.log.warn("access recheck failed; keeping the connection", { documentId: connection.documentId, error: String(error) });
      return;
    }
    if (!connection.open) return;
    if (role === null) {
      connection.close(CloseCode.FORBIDDEN, "access revoked");
    } else if (ROLES.indexOf(role) < ROLES.indexOf(connection.grant.role)) {
      connection.close(CloseCode.FORBIDDEN, "access changed");
    } else {
      connection.grant.role = role;
    }
  }
}
