// The reconnect policy (pure) and the scheduler driving a real y-websocket provider over a
// fake WebSocket, on mocked timers. Randomness is seeded; set SEED=<n> to replay a run.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { backoffCeilingMs, reconnectDelayMs, RECONNECT_BASE_DELAY_MS, RECONNECT_MAX_DELAY_MS, seededRandom } from "./reconnectBackoff.ts";
import { ReconnectScheduler } from "./ReconnectScheduler.ts";

const SEED = process.env.SEED ? Number(process.env.SEED) : Date.now() % 1_000_000;
console.log(`reconnectBackoff.test.ts: SEED=${SEED}`);

describe("reconnect backoff policy", () => {
  test("ceilings double from the base and stop at the cap", () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 100, 5000].map((attempt) => backoffCeilingMs(attempt)),
      [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000],
    );
    assert.equal(backoffCeilingMs(0), RECONNECT_BASE_DELAY_MS);
    assert.equal(backoffCeilingMs(1e6), RECONNECT_MAX_DELAY_MS);
    assert.throws(() => backoffCeilingMs(-1), RangeError);
    assert.throws(() => backoffCeilingMs(1.5), RangeError);
  });

  test("full jitter: delays are whole ms in [0, ceiling), spread over the range", () => {
    const random = seededRandom(SEED);
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = backoffCeilingMs(attempt);
      const delays = Array.from({ length: 400 }, () => reconnectDelayMs(attempt, random));
      for (const d of delays) {
        assert.ok(Number.isInteger(d) && d >= 0 && d < ceiling, `attempt ${attempt}: ${d} not in [0, ${ceiling})`);
      }
      // Not all the same (that would be no jitter), and both halves of the range occur.
      assert.ok(delays.some((d) => d < ceiling / 2) && delays.some((d) => d >= ceiling / 2), `attempt ${attempt} spread`);
    }
  });

  test("extreme random values stay inside the range", () => {
    assert.equal(reconnectDelayMs(3, () => 0), 0);
    assert.equal(reconnectDelayMs(3, () => 0.5), 1000);
    assert.ok(reconnectDelayMs(3, () => 1) < 2000);
    assert.equal(reconnectDelayMs(3, () => Number.NaN), 0);
  });

  test("the same seed gives the same delays", () => {
    const a = seededRandom(SEED);
    const b = seededRandom(SEED);
    const seqA = Array.from({ length: 20 }, (_, i) => reconnectDelayMs(i, a));
    const seqB = Array.from({ length: 20 }, (_, i) => reconnectDelayMs(i, b));
    assert.deepEqual(seqA, seqB);
  });
});

/** Stands in for the browser WebSocket; the test opens and fails sockets by hand. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static instances: FakeSocket[] = [];
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readyState = 0;
  binaryType = "blob";
  onopen: (() => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onmessage: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.instances.push(this);
  }
  send(): void {}
  close(): void {
    this.readyState = FakeSocket.CLOSED;
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  /** The connection failed or dropped, as the browser reports it. */
  fail(code = 1006): void {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code, reason: "" });
  }
}

describe("ReconnectScheduler with a y-websocket provider", () => {
  let doc: Y.Doc;
  let provider: WebsocketProvider;
  let network: EventTarget;
  let scheduler: ReconnectScheduler;
  let expected: () => number;

  beforeEach(() => {
    mock.timers.enable({ apis: ["setTimeout", "Date"], now: 1_000_000 });
    FakeSocket.instances = [];
    doc = new Y.Doc();
    provider = new WebsocketProvider("ws://test/collab", "doc", doc, {
      connect: false,
      disableBc: true,
      WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
      shouldReconnect: (event) => event.code !== 4403,
    });
    network = new EventTarget();
    scheduler = new ReconnectScheduler(provider, { random: seededRandom(SEED), network });
    // The delays the scheduler must draw, from an identically seeded source.
    const mirror = seededRandom(SEED);
    let attempt = 0;
    expected = () => reconnectDelayMs(attempt++, mirror);
  });

  afterEach(() => {
    scheduler.destroy();
    provider.destroy();
    doc.destroy();
    mock.timers.reset();
  });

  const latest = () => FakeSocket.instances[FakeSocket.instances.length - 1]!;

  test("retries on our jittered schedule, not y-websocket's, and backs off further each time", () => {
    scheduler.start();
    assert.equal(FakeSocket.instances.length, 1);
    for (let i = 0; i < 8; i++) {
      const delay = expected();
      latest().fail();
      assert.equal(scheduler.snapshot.attempt, i + 1);
      assert.equal(scheduler.snapshot.nextAttemptAt, Date.now() + delay);
      // y-websocket's own retry timer (min(2^n*100, maxBackoffTime)) fires meanwhile: no socket.
      if (delay > 0) {
        mock.timers.tick(delay - 1);
        assert.equal(FakeSocket.instances.length, i + 1, `no early attempt (retry ${i})`);
      }
      mock.timers.tick(delay === 0 ? 0 : 1);
      assert.equal(FakeSocket.instances.length, i + 2, `attempt after ${delay} ms (retry ${i})`);
      assert.equal(scheduler.snapshot.nextAttemptAt, null);
    }
    // Nothing else is pending: a long wait opens no extra sockets.
    mock.timers.tick(60_000);
    assert.equal(FakeSocket.instances.length, 9);
  });

  test("a synced connection resets the backoff", () => {
    scheduler.start();
    latest().fail();
    mock.timers.tick(RECONNECT_MAX_DELAY_MS);
    latest().fail();
    mock.timers.tick(RECONNECT_MAX_DELAY_MS);
    assert.equal(scheduler.snapshot.attempt, 2);
    latest().open();
    provider.synced = true;
    assert.equal(scheduler.snapshot.attempt, 0);
    latest().fail();
    assert.equal(scheduler.snapshot.attempt, 1);
    assert.ok(scheduler.snapshot.nextAttemptAt! - Date.now() < RECONNECT_BASE_DELAY_MS);
  });

  test("the browser coming online skips the wait", () => {
    scheduler.start();
    for (let i = 0; i < 6; i++) {
      latest().fail();
      mock.timers.tick(RECONNECT_MAX_DELAY_MS);
    }
    latest().fail();
    assert.notEqual(scheduler.snapshot.nextAttemptAt, null);
    const before = FakeSocket.instances.length;
    network.dispatchEvent(new Event("online"));
    assert.equal(FakeSocket.instances.length, before + 1, "connected at once");
    assert.equal(scheduler.snapshot.nextAttemptAt, null);
    assert.equal(scheduler.snapshot.attempt, 0);
    // The cancelled timer does not open a second socket later.
    mock.timers.tick(RECONNECT_MAX_DELAY_MS);
    assert.equal(FakeSocket.instances.length, before + 1);
  });

  test("going offline closes the open socket and keeps retrying", () => {
    scheduler.start();
    latest().open();
    assert.equal(provider.wsconnected, true);
    network.dispatchEvent(new Event("offline"));
    assert.equal(provider.wsconnected, false);
    assert.equal(provider.ws, null);
    assert.notEqual(scheduler.snapshot.nextAttemptAt, null);
    mock.timers.tick(RECONNECT_MAX_DELAY_MS);
    assert.equal(FakeSocket.instances.length, 2);
  });

  test("a permanent close stops retrying, also when the browser comes online", () => {
    scheduler.start();
    latest().open();
    latest().fail(4403);
    assert.equal(scheduler.snapshot.nextAttemptAt, null);
    network.dispatchEvent(new Event("online"));
    mock.timers.tick(60_000);
    assert.equal(FakeSocket.instances.length, 1);
  });

  test("stop() and destroy() cancel a pending retry", () => {
    scheduler.start();
    latest().fail();
    scheduler.stop();
    assert.equal(scheduler.snapshot.nextAttemptAt, null);
    mock.timers.tick(60_000);
    assert.equal(FakeSocket.instances.length, 1);
    scheduler.start();
    latest().fail();
    scheduler.destroy();
    mock.timers.tick(60_000);
    assert.equal(FakeSocket.instances.length, 2);
  });
});
