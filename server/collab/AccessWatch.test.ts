// AccessWatch's timers under node:test's mocked clock (setTimeout and Date): expiries beyond
// setTimeout's ~24.8-day limit, and re-checks that fail (database down) and must be retried.
// The connections are stand-ins with just what AccessWatch touches; the real policy and real
// sockets are exercised in server/access/linkExpiry.test.ts.

import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, mock, test } from "node:test";
import { CloseCode } from "../../lib/closeCodes.ts";
import type { Role } from "../../lib/access/roles.ts";
import { AccessWatch } from "./AccessWatch.ts";
import { silentLog } from "../log.ts";
import type { CollabAccessPolicy, Grant } from "./access.ts";
import type { Connection } from "./Connection.ts";

const DAY_MS = 24 * 60 * 60_000;
/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const START = Date.UTC(2030, 0, 1);

/** What AccessWatch uses of a Connection. */
class FakeConnection {
  open = true;
  private closed: { code: number; reason: string; at: number } | null = null;
  /** How it was closed, or null (a method: assertions must not narrow it for later reads). */
  closedWith(): { code: number; reason: string; at: number } | null {
    return this.closed;
  }
  readonly socket = new EventEmitter();
  constructor(
    readonly documentId: string,
    readonly grant: Grant,
  ) {}
  close(code: number, reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.closed = { code, reason, at: Date.now() };
    this.socket.emit("close");
  }
}

/** A policy whose change notifications the test triggers by hand. */
function policy(): { access: CollabAccessPolicy; changed(documentId: string): void } {
  const listeners = new Set<(documentId: string) => void>();
  return {
    access: {
      authorize: () => Promise.reject(new Error("not used")),
      onChange(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    changed: (documentId) => listeners.forEach((listener) => listener(documentId)),
  };
}


/** Lets promise callbacks run (setImmediate is not mocked). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** Advances the mocked clock by `ms` in steps of `stepMs`, letting promises settle at each step. */
async function advance(ms: number, stepMs: number): Promise<void> {
  for (let left = ms; left > 0; left -= stepMs) {
    mock.timers.tick(Math.min(stepMs, left));
    await settle();
  }
}

describe("AccessWatch timers (mocked clock)", () => {
  let watch: AccessWatch | null = null;
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "setInterval", "Date"], now: START }));
  afterEach(() => {
    watch?.stop();
    watch = null;
    mock.timers.reset();
  });

  test("a link expiring in 365 days (beyond setTimeout's limit) closes its socket at the expiry, not before", async () => {
    const expiresAt = START + 365 * DAY_MS;
    const rechecks: number[] = [];
    const grant: Grant = {
      role: "editor",
      identity: null,
      expiresAt,
      async recheck(): Promise<Role | null> {
        rechecks.push(Date.now());
        return Date.now() >= expiresAt ? null : "editor";
      },
    };
    const connection = new FakeConnection("doc", grant);
    const connections = new Set([connection as unknown as Connection]);
    watch = new AccessWatch(policy().access, connections, silentLog);
    watch.watchExpiry(connection as unknown as Connection);

    // Up to a second before the expiry: still open, and not even re-checked (re-arming a
    // long timer is not an expiry).
    await advance(expiresAt - 1_000 - START, DAY_MS);
    assert.ok(MAX_TIMER_MS < expiresAt - START, "the expiry is beyond one timer");
    assert.equal(connection.closedWith(), null, `closed ${(expiresAt - (connection.closedWith()?.at ?? 0)) / DAY_MS} days early`);
    assert.deepEqual(rechecks, [], "no re-check before the expiry");
    // Across the expiry: closed within a second of it.
    await advance(2_000, 100);
    const closed = connection.closedWith();
    assert.ok(closed, "closed once the link expired");
    assert.equal(closed.code, CloseCode.FORBIDDEN);
    const late = closed.at - expiresAt;
    assert.ok(late >= 0 && late <= 1_000, `closed ${late} ms after the expiry`);
    assert.equal(rechecks.length, 1);
  });

  test("a re-check at expiry that fails (database down) is retried until it succeeds, then applied", async () => {
    const expiresAt = START + 1_000;
    let calls = 0;
    const FAILURES = 4;
    const grant: Grant = {
      role: "editor",
      identity: null,
      expiresAt,
      async recheck(): Promise<Role | null> {
        calls++;
        if (calls <= FAILURES) throw new Error("database unreachable");
        return Date.now() >= expiresAt ? null : "editor";
      },
    };
    const connection = new FakeConnection("doc", grant);
    watch = new AccessWatch(policy().access, new Set([connection as unknown as Connection]), silentLog);
    watch.watchExpiry(connection as unknown as Connection);

    await advance(1_100, 100);
    assert.equal(calls, 1, "re-checked at the expiry");
    assert.equal(connection.closedWith(), null, "a failed re-check closes nothing by itself");
    // The database comes back: the re-check is retried (with backoff) and its answer applied.
    await advance(120_000, 100);
    const closed = connection.closedWith();
    assert.ok(closed, `closed after the re-check succeeded (re-checks: ${calls})`);
    assert.equal(closed.code, CloseCode.FORBIDDEN);
    assert.equal(calls, FAILURES + 1, "no more re-checks once one succeeded");
    // Retries back off: not hammering the database.
    const closedAfterMs = closed.at - expiresAt;
    console.log(`[access-watch] ${FAILURES} failed re-checks, then closed ${closedAfterMs} ms after the expiry`);
    await advance(120_000, 1_000);
    assert.equal(calls, FAILURES + 1);
  });

  test("a re-check after an access change that fails is retried too (a revocation is not forgotten)", async () => {
    let calls = 0;
    let revoked = false;
    const grant: Grant = {
      role: "editor",
      identity: null,
      expiresAt: null,
      async recheck(): Promise<Role | null> {
        calls++;
        if (calls <= 2) throw new Error("database unreachable");
        return revoked ? null : "editor";
      },
    };
    const { access, changed } = policy();
    const connection = new FakeConnection("doc", grant);
    watch = new AccessWatch(access, new Set([connection as unknown as Connection]), silentLog);
    revoked = true;
    changed("doc");
    await settle();
    assert.equal(calls, 1);
    await advance(60_000, 100);
    assert.equal(connection.closedWith()?.code, CloseCode.FORBIDDEN, `closed after retries (re-checks: ${calls})`);
    assert.equal(calls, 3);
  });

  test("retries stop when the socket closes or the watch stops", async () => {
    let calls = 0;
    const grant: Grant = {
      role: "editor",
      identity: null,
      expiresAt: START + 500,
      async recheck(): Promise<Role | null> {
        calls++;
        throw new Error("database unreachable");
      },
    };
    const first = new FakeConnection("a", grant);
    const second = new FakeConnection("b", { ...grant });
    watch = new AccessWatch(policy().access, new Set([first, second] as unknown as Connection[]), silentLog);
    watch.watchExpiry(first as unknown as Connection);
    watch.watchExpiry(second as unknown as Connection);
    await advance(5_000, 100);
    const afterFirstRetries = calls;
    assert.ok(afterFirstRetries >= 4, `both retried (${afterFirstRetries} re-checks)`);
    first.close(CloseCode.NORMAL, "client left");
    const before = calls;
    await advance(60_000, 500);
    const secondOnly = calls - before;
    assert.ok(secondOnly > 0, "the open socket is still retried");
    watch.stop();
    watch = null;
    const stoppedAt = calls;
    await advance(120_000, 1_000);
    assert.equal(calls, stoppedAt, "no re-check after stop()");
  });
});

test("a re-check answering a Refusal (the document went to Trash) closes with its own code and reason, only on that document", async () => {
  const refusing: Grant = {
    role: "owner",
    identity: null,
    expiresAt: null,
    recheck: async () => ({ closeCode: CloseCode.DOCUMENT_TRASHED, reason: "document in trash" }),
  };
  const trashed = new FakeConnection("trashed", refusing);
  const other = new FakeConnection("other", { ...refusing });
  const { access, changed } = policy();
  const watch = new AccessWatch(access, new Set([trashed, other] as unknown as Connection[]), silentLog);
  try {
    changed("trashed");
    await settle();
    assert.equal(trashed.closedWith()?.code, CloseCode.DOCUMENT_TRASHED);
    assert.equal(trashed.closedWith()?.reason, "document in trash");
    assert.equal(other.closedWith(), null, "another document's socket is not re-checked");
  } finally {
    watch.stop();
  }
});
