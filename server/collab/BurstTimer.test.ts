import assert from "node:assert/strict";
import { test } from "node:test";
import { BurstTimer } from "./BurstTimer.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a burst ends once it has been quiet for idleMs, once however many changes it had", async () => {
  let ends = 0;
  const burst = new BurstTimer({ idleMs: 150, maxSpanMs: 10_000 }, () => ends++);
  for (let i = 0; i < 5; i++) {
    burst.changed();
    await sleep(10);
  }
  assert.equal(ends, 0, "still typing");
  await sleep(500);
  assert.equal(ends, 1);
  assert.equal(burst.pending, true, "ending does not take the changes");
  burst.take();
  assert.equal(burst.pending, false);
  await sleep(200);
  assert.equal(ends, 1, "nothing more without a change");
});

test("continuous changes end a burst every maxSpanMs; giveBack() keeps a taken burst's start", async () => {
  const starts: number[] = [];
  // As the observers do: the end takes the burst (writes it, versions it).
  const burst: BurstTimer = new BurstTimer({ idleMs: 40, maxSpanMs: 100 }, () => starts.push(burst.take()));
  const started = Date.now();
  while (Date.now() - started < 250) {
    burst.changed();
    await sleep(10);
  }
  const whileTyping = starts.length;
  assert.ok(whileTyping >= 1, "a burst ends within its span, though never quiet");
  assert.ok(starts[0] - started < 50, `the first burst began with the first change (${starts[0] - started} ms)`);
  await sleep(300);
  assert.equal(starts.length, whileTyping + 1, "the last burst ends when the changes stop");
  // A taken burst whose work failed is pending again, as from its first change.
  const last = starts.at(-1)!;
  burst.giveBack(last);
  assert.equal(burst.pending, true);
  await sleep(300);
  assert.equal(starts.length, whileTyping + 2);
  assert.equal(starts.at(-1), last);
});

test("stop(): no end ever again, though changes stay pending", async () => {
  let ends = 0;
  const burst = new BurstTimer({ idleMs: 20, maxSpanMs: 100 }, () => ends++);
  burst.changed();
  burst.stop();
  burst.changed();
  await sleep(60);
  assert.equal(ends, 0);
  assert.equal(burst.pending, true);
});
