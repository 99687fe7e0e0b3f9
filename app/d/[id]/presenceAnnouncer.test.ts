import { test } from "node:test";
import assert from "node:assert/strict";
import { PRESENCE_MIN_INTERVAL_MS, PRESENCE_SETTLE_MS, PresenceAnnouncer, nameList, presenceMessage, type Clock } from "./presenceAnnouncer.ts";

/** A clock whose time moves only when the test says so. */
function fakeClock() {
  let now = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  let nextId = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback, ms) => {
      timers.set(++nextId, { at: now + ms, callback });
      return nextId;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  function advance(ms: number) {
    const until = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].callback();
    }
    now = until;
  }
  return { clock, advance };
}

function setUp() {
  const { clock, advance } = fakeClock();
  const said: string[] = [];
  const announcer = new PresenceAnnouncer((text) => said.push(text), clock);
  return { announcer, advance, said };
}

test("names are listed in plain words, with a count past three", () => {
  assert.equal(nameList(["Grace"]), "Grace");
  assert.equal(nameList(["Grace", "Alan"]), "Grace and Alan");
  assert.equal(nameList(["Grace", "Alan", "Bob"]), "Grace, Alan and Bob");
  assert.equal(nameList(["Grace", "Alan", "Bob", "Cy"]), "Grace, Alan, Bob and Cy");
  assert.equal(nameList(["Grace", "Alan", "Bob", "Cy", "Di"]), "Grace, Alan, Bob and 2 others");
  assert.equal(presenceMessage(["Grace"], ["Bob"]), "Grace joined; Bob left.");
  assert.equal(presenceMessage([], []), null);
});

test("those present on connecting, and those arriving just after, are not announced", () => {
  const { announcer, advance, said } = setUp();
  announcer.connected([]);
  announcer.update(["Grace"]);
  advance(PRESENCE_SETTLE_MS + PRESENCE_MIN_INTERVAL_MS);
  assert.deepEqual(said, []);
});

test("someone joining is announced by name once the change has settled", () => {
  const { announcer, advance, said } = setUp();
  announcer.connected(["Grace"]);
  advance(PRESENCE_SETTLE_MS);
  announcer.update(["Grace", "Alan"]);
  advance(PRESENCE_SETTLE_MS - 1);
  assert.deepEqual(said, []);
  advance(1);
  assert.deepEqual(said, ["Alan joined."]);
});

test("a reload (left and joined again) says nothing; changes in a burst make one announcement", () => {
  const { announcer, advance, said } = setUp();
  announcer.connected(["Grace"]);
  advance(PRESENCE_SETTLE_MS);
  announcer.update([]);
  announcer.update(["Grace"]);
  advance(PRESENCE_SETTLE_MS);
  assert.deepEqual(said, []);
  announcer.update(["Grace", "Alan"]);
  announcer.update(["Grace", "Alan", "Bob"]);
  announcer.update(["Alan", "Bob"]);
  advance(PRESENCE_SETTLE_MS);
  assert.deepEqual(said, ["Alan and Bob joined; Grace left."]);
});

test("at most one presence announcement per interval, the next one covering everything meanwhile", () => {
  const { announcer, advance, said } = setUp();
  announcer.connected([]);
  advance(PRESENCE_SETTLE_MS);
  announcer.update(["Alan"]);
  advance(PRESENCE_SETTLE_MS);
  assert.deepEqual(said, ["Alan joined."]);
  announcer.update(["Alan", "Bob"]);
  advance(PRESENCE_SETTLE_MS);
  announcer.update(["Alan", "Bob", "Cy"]);
  advance(PRESENCE_MIN_INTERVAL_MS - PRESENCE_SETTLE_MS - 1);
  assert.deepEqual(said, ["Alan joined."]);
  advance(1);
  assert.deepEqual(said, ["Alan joined.", "Bob and Cy joined."]);
});

test("while disconnected nothing is announced, and a pending announcement is dropped", () => {
  const { announcer, advance, said } = setUp();
  announcer.connected(["Grace"]);
  advance(PRESENCE_SETTLE_MS);
  announcer.update(["Grace", "Alan"]);
  announcer.disconnected();
  announcer.update([]);
  advance(PRESENCE_MIN_INTERVAL_MS);
  assert.deepEqual(said, []);
});
