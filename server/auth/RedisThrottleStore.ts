// The sign-in throttle's and password-reset limits' counts in Redis, shared by every instance of
// one deployment. Each bucket is one hash, each window one sorted set of event times, updated by
// a Lua script (read, decide, write in one step, on Redis's clock, so instances with skewed
// clocks agree); every key expires after FORGET_AFTER_MS idle (a window's once it has passed).
//
// Sign-in must keep working while Redis is away: when it is not connected, or does not answer
// within COMMAND_TIMEOUT_MS, this instance counts in its own memory meanwhile (the limits then
// hold per instance, as they do without Redis).
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../log.ts";
import type { RedisLink } from "../redis/RedisLink.ts";
import { FORGET_AFTER_MS, MAX_USUAL_ADDRESSES, MemoryThrottleStore, type ThrottleStore } from "./ThrottleStore.ts";

/** A throttle command slower than this is given up for the memory fallback. */
export const COMMAND_TIMEOUT_MS = 500;

// KEYS[1] the bucket; ARGV burst, tokens per ms, time to live (ms). Returns 0 when a token was
// taken, else the ms until one is there.
const TAKE_SCRIPT = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1]) or burst
local at = tonumber(saved[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.max(1, math.ceil((1 - tokens) / rate)) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return wait
`;

// KEYS[1] the window; ARGV max, window (ms), a member unique to this event. Returns 1 when the
// event was counted, 0 when `max` were already counted within the window.
const WINDOW_SCRIPT = `
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= max then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 1
`;

export class RedisThrottleStore implements ThrottleStore {
  private readonly fallback = new MemoryThrottleStore();
  private warned = false;

  /** `namespace` tells deployments sharing one Redis apart (see SignInThrottle's caller). */
  constructor(
    private readonly link: RedisLink,
    private readonly namespace: string,
    private readonly log: Logger,
  ) {}

  take(key: string, burst: number, perMinute: number): Promise<number> {
    return this.run(
      (redis) => redis.eval(TAKE_SCRIPT, 1, this.key("bucket", key), burst, perMinute / 60_000, FORGET_AFTER_MS).then(Number),
      (memory) => memory.take(key, burst, perMinute),
    );
  }

  admitInWindow(key: string, max: number, windowMs: number): Promise<boolean> {
    return this.run(
      async (redis) => Number(await redis.eval(WINDOW_SCRIPT, 1, this.key("window", key), max, windowMs, randomUUID())) === 1,
      (memory) => memory.admitInWindow(key, max, windowMs),
    );
  }

  backoffUntil(account: string): Promise<number> {
    return this.run(
      (redis) => redis.get(this.key("backoff", account)).then((value) => Number(value ?? 0)),
      (memory) => memory.backoffUntil(account),
    );
  }

  countFailure(account: string): Promise<number> {
    const key = this.key("failures", account);
    return this.run(
      async (redis) => {
        const [[, failures]] = (await redis.multi().incr(key).pexpire(key, FORGET_AFTER_MS).exec())! as [[Error | null, number]];
        return failures;
      },
      (memory) => memory.countFailure(account),
    );
  }

  setBackoffUntil(account: string, until: number): Promise<void> {
    return this.run(
      async (redis) => {
        await redis.set(this.key("backoff", account), String(until), "PX", Math.max(1, until - Date.now()) + FORGET_AFTER_MS);
      },
      (memory) => memory.setBackoffUntil(account, until),
    );
  }

  isUsualAddress(account: string, address: string): Promise<boolean> {
    return this.run(
      async (redis) => (await redis.zscore(this.key("usual", account), address)) !== null,
      (memory) => memory.isUsualAddress(account, address),
    );
  }

  addUsualAddress(account: string, address: string): Promise<void> {
    const key = this.key("usual", account);
    return this.run(
      async (redis) => {
        // Scored by time of use: the oldest beyond MAX_USUAL_ADDRESSES are dropped.
        await redis
          .multi()
          .zadd(key, Date.now(), address)
          .zremrangebyrank(key, 0, -MAX_USUAL_ADDRESSES - 1)
          .pexpire(key, FORGET_AFTER_MS)
          .exec();
      },
      (memory) => memory.addUsualAddress(account, address),
    );
  }

  private key(kind: string, id: string): string {
    return `signin:${this.namespace}:${kind}:${id}`;
  }

  private async run<T>(inRedis: (redis: Redis) => Promise<T>, inMemory: (memory: MemoryThrottleStore) => Promise<T>): Promise<T> {
    if (!this.link.ready) return inMemory(this.fallback);
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        inRedis(this.link.commands),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
        }),
      ]);
      this.warned = false; // the next outage is logged again
      return result;
    } catch (error) {
      if (!this.warned) {
        this.warned = true;
        this.log.warn("sign-in and reset throttle: redis failed; counting in this instance's memory meanwhile", { error: (error as Error).message });
      }
      return inMemory(this.fallback);
    } finally {
      clearTimeout(timer);
    }
  }
}
