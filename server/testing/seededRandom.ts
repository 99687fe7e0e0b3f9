// Seeded pseudo-random numbers for reproducible randomised tests: the seed is printed, and
// SEED=<n> replays the same run.

import { seededRandom } from "../../lib/sync/reconnectBackoff.ts";

/** The seed from SEED (if set) or a fresh one; always printed so a failure can be replayed. */
export function testSeed(label: string): number {
  const fromEnv = process.env.SEED;
  const seed = fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed)) throw new Error(`SEED must be an integer, got "${fromEnv}"`);
  console.log(`[${label}] seed ${seed} (replay with SEED=${seed})`);
  return seed;
}

/** Helpers over one generator. */
export class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(minInclusive: number, maxExclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxExclusive - minInclusive));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)];
  }
}
