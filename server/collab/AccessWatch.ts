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

export class AccessWatch {
  private readonly unsubscribe: () => void;

  constructor(
    access: CollabAccessPolicy,
    private readonly connections: ReadonlySet<Connection>,
    private readonly log: Logger,
  ) {
    this.unsubscribe = access.onChange((documentId) => {
      for (const connection of this.connections) {
        if (connection.documentId === documentId) void this.recheck(connection);
      }
    });
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
