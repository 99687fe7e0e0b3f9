// The limit on events per sliding window (reset mails per account), in both stores: this
// process's memory, and Redis (shared by every instance) when REDIS_URL is set.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, test } from "node:test";
import { RedisLink } from "../redis/RedisLink.ts";
import { RecordingLog } from "../testing/RecordingLog.ts";
import { sleep } from "../testing/sleep.ts";
import { RedisThrottleStore } from "./RedisThrottleStore.ts";
import { MemoryThrottleStore, type ThrottleStore } from "./ThrottleStore.ts";

const WINDOW_MS = 300;
const redisUrl = process.env.REDIS_URL;
const log = new RecordingLog();
const link = redisUrl ? new RedisLink(redisUrl, log) : null;

after(async () => {
  await link?.close();
});

async function admitsWithinWindow(store: ThrottleStore): Promise<void> {
  const key = randomUUID();
  const admitted: boolean[] = [];
  for (let i = 0; i < 4; i++) admitted.push(await store.admitInWindow(key, 3, WINDOW_MS));
  assert.deepEqual(admitted, [true, true, true, false], "three in the window, then refused");
  assert.equal(await store.admitInWindow(randomUUID(), 3, WINDOW_MS), true, "another key is counted apart");
  await sleep(WINDOW_MS + 50);
  assert.equal(await store.admitInWindow(key, 3, WINDOW_MS), true, "admitted again once the window passed");
}

test("at most `max` events per key per window, in memory", () => admitsWithinWindow(new MemoryThrottleStore()));

test("at most `max` events per key per window, in Redis (two stores of one deployment share the count)", { skip: link ? false : "REDIS_URL is not set" }, async () => {
  for (let i = 0; i < 100 && !link!.ready; i++) await sleep(20);
  assert.ok(link!.ready, "connected to Redis");
  const namespace = randomUUID();
  const one = new RedisThrottleStore(link!, namespace, log);
  const two = new RedisThrottleStore(link!, namespace, log);
  await admitsWithinWindow(one);
  const key = randomUUID();
  const taking = [one, two, one, two].map((store) => store.admitInWindow(key, 3, 60_000));
  assert.deepEqual(await Promise.all(taking), [true, true, true, false], "stores taking turns share one window");
  assert.equal(log.errors.length, 0, log.describeErrors());
});
