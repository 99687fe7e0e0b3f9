// When to try the collab socket again after it closed: exponential backoff with full jitter
// (delay drawn uniformly from [0, min(cap, base * 2^attempt))), so that a server restart
// does not get every client back in the same millisecond. Pure; randomness is injected.

/** Upper bound of the first retry's delay. */
export const RECONNECT_BASE_DELAY_MS = 250;
/** No retry waits longer than this. */
export const RECONNECT_MAX_DELAY_MS = 10_000;

/** A source of uniform numbers in [0, 1), like Math.random. */
export type RandomSource = () => number;

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF_POLICY: BackoffPolicy = {
  baseDelayMs: RECONNECT_BASE_DELAY_MS,
  maxDelayMs: RECONNECT_MAX_DELAY_MS,
};

/** The ceiling of the jittered delay for retry number `attempt` (0 = first retry). */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF_POLICY): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  // 2^attempt overflows to Infinity for large attempts; Math.min then yields the cap.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
}

/** The delay before retry number `attempt`: uniform in [0, ceiling), whole milliseconds. */
export function reconnectDelayMs(
  attempt: number,
  random: RandomSource = Math.random,
  policy: BackoffPolicy = DEFAULT_BACKOFF_POLICY,
): number {
  const r = random();
  // Guard against a source that returns 1 or garbage: the delay must stay below the ceiling.
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1 - Number.EPSILON) : 0;
  return Math.floor(unit * backoffCeilingMs(attempt, policy));
}

/** A deterministic RandomSource (mulberry32) for tests and for replaying a seed. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
