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
/** An expiry timer fires this long after the expiry, so the policy's clock sees it has passed. */
const EXPIRY_GRACE_MS = 50;
/** First wait before a failed re-check (database unreachable) is tried again; doubles up to
 *  RECHECK_RETRY_MAX_DELAY_MS, until one succeeds. */
export const RECHECK_RETRY_BASE_DELAY_MS = 500;
export const RECHECK_RETRY_MAX_DELAY_MS = 30_000;

/** How often the sessions behind open sockets are looked up. A session can end in many ways
 *  (sign-out, password change or reset, account deletion, expiry, on any instance, or from the
 *  admin command line), and one indexed query per interval sees them all: sockets close within
 *  this interval plus a query. */
export const SESSION_CHECK_INTERVAL_MS = 1_000;

export class AccessWatch {
  private readonly unsubscribe: () => void;
  private readonly sessionTimer: NodeJS.Timeout | null = null;
  private checkingSessions = false;
  /** The armed expiry timer of each connection whose grant expires. */
  private readonly expiryTimers = new Map<Connection, NodeJS.Timeout>();
  /** Connections whose last re-check failed: the attempt count and the timer of the next. */
  private readonly retries = new Map<Connection, { attempt: number; timer: NodeJS.Timeout }>();
  /** Connections whose close already clears their timers. */
  private readonly tracked = new WeakSet<Connection>();
  private stopped = false;

  constructor(
    private readonly access: CollabAccessPolicy,
    private readonly connections: ReadonlySet<Connection>,
    private readonly log: Logger,
    /** Tells an open connection's room that its role changed, so the client hears it. */
    private readonly onRoleChanged: (connection: Connection) => void = () => {},
  ) {
    this.unsubscribe = access.onChange((documentId) => {
      for (const connection of this.connections) {
        if (documentId === null || connection.documentId === documentId) void this.recheck(connection);
      }
    });
    if (access.liveSessions) {
      this.sessionTimer = setInterval(() => void this.checkSessions(), SESSION_CHECK_INTERVAL_MS);
      this.sessionTimer.unref();
    }
  }

  /** A grant with an expiry is re-checked when it lapses, which closes the socket (or changes
   *  its role). Called again whenever the grant's expiry may have changed. */
  watchExpiry(connection: Connection): void {
    this.clearExpiry(connection);
    const { expiresAt } = connection.grant;
    if (expiresAt === null || this.stopped || !connection.open) return;
    this.track(connection);
    const timer = setTimeout(
      () => {
        this.expiryTimers.delete(connection);
        // An expiry beyond setTimeout's limit: re-armed until it is due, not re-checked early.
        if (Date.now() < expiresAt) this.watchExpiry(connection);
        else void this.recheck(connection);
      },
      Math.min(Math.max(0, expiresAt - Date.now()) + EXPIRY_GRACE_MS, MAX_TIMER_MS),
    );
    timer.unref();
    this.expiryTimers.set(connection, timer);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    if (this.sessionTimer) clearInterval(this.sessionTimer);
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    this.expiryTimers.clear();
    for (const { timer } of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
  }

  /** Clears a connection's timers when it closes (once per connection, however often re-armed). */
  private track(connection: Connection): void {
    if (this.tracked.has(connection)) return;
    this.tracked.add(connection);
    connection.socket.once("close", () => {
      this.clearExpiry(connection);
      const retry = this.retries.get(connection);
      if (retry) clearTimeout(retry.timer);
      this.retries.delete(connection);
    });
  }

  private clearExpiry(connection: Connection): void {
    const timer = this.expiryTimers.get(connection);
    if (timer) clearTimeout(timer);
    this.expiryTimers.delete(connection);
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
   * says why). Changed (lowered to viewer, raised to editor): applied in place, and a client
   * that negotiated our extensions is told (ROLE, lib/protocolExtensions.ts), so its editor
   * turns read-only or editable without a reconnect or a reload; every frame after the change
   * is handled with the new role whatever the client does. A stock client cannot be told: a
   * lowered one is closed with 4403 rather than left typing edits the server drops.
   * A re-check that fails (database unreachable) keeps the socket and is retried with backoff
   * until one succeeds: an expiry or a revocation is applied late, never forgotten.
   */
  private async recheck(connection: Connection, isRetry = false): Promise<void> {
    // A retry is pending: it re-reads everything when it runs, this request included.
    if (!isRetry && this.retries.has(connection)) return;
    if (this.stopped || !connection.open) return;
    const expiresBefore = connection.grant.expiresAt;
    let role;
    try {
      role = await connection.grant.recheck();
    } catch (error) {
      this.scheduleRetry(connection, isRetry, error);
      return;
    }
    if (isRetry) this.retries.delete(connection);
    if (!connection.open || this.stopped) return;
    if (role !== null && typeof role === "object") {
      connection.close(role.closeCode, role.reason);
      return;
    }
    if (role === null) {
      connection.close(CloseCode.FORBIDDEN, "access revoked");
      return;
    }
    const previous = connection.grant.role;
    if (role !== previous) {
      if (!connection.extensions && ROLES.indexOf(role) < ROLES.indexOf(previous)) {
        connection.close(CloseCode.FORBIDDEN, "access changed");
        return;
      }
      connection.grant.role = role;
      this.log.info("role changed on an open connection", { documentId: connection.documentId, connection: connection.id, from: previous, to: role });
      this.onRoleChanged(connection);
    }
    if (connection.grant.expiresAt !== expiresBefore) this.watchExpiry(connection);
  }

  private scheduleRetry(connection: Connection, isRetry: boolean, error: unknown): void {
    if (this.stopped || !connection.open) {
      this.retries.delete(connection);
      return;
    }
    // Two re-checks that were in flight together both failed: one retry chain is enough.
    if (!isRetry && this.retries.has(connection)) return;
    this.track(connection);
    const attempt = (this.retries.get(connection)?.attempt ?? 0) + 1;
    const delayMs = Math.min(RECHECK_RETRY_MAX_DELAY_MS, RECHECK_RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
    this.log.warn("access recheck failed; keeping the connection and retrying", {
      documentId: connection.documentId,
      attempt,
      retryInMs: delayMs,
      error: String(error),
    });
    const timer = setTimeout(() => void this.recheck(connection, true), delayMs);
    timer.unref();
    this.retries.set(connection, { attempt, timer });
  }
}
