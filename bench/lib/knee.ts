// The throughput-knee search: when to stop raising the typing rate, and what the steps say.
// On a small machine the load generators (real Yjs clients, which decode every update) can
// run out of CPU before a server's latency passes the limit; then the knee is not reached,
// and comparing the servers' "best frames/s" would compare the generators. The steps then
// still say how much server CPU each delivered frame cost, at the same offered load.

export interface KneeStep {
  rateHz: number;
  p99: number;
  delivered: number;
  expected: number;
  deliveredPerS: number;
  serverCpuPct: number;
  generatorCpuPct: number[];
}

/** Latency limit of the knee. */
export const KNEE_P99_MS = 100;
/** Share of frames that may go undelivered within a step. */
export const KNEE_MAX_LOSS = 0.05;
/** A step whose deliveries grew less than this over the previous one's did not add load. */
const MIN_GROWTH = 1.1;

export type KneeEnding = "p99" | "loss" | "plateau" | "none";

export function withinLimits(step: KneeStep): boolean {
  return step.p99 <= KNEE_P99_MS && step.delivered >= (1 - KNEE_MAX_LOSS) * step.expected;
}

/** Why the search stopped after `steps` (the last one just run), or "none" to go on. */
export function kneeEnding(steps: KneeStep[]): KneeEnding {
  const last = steps.at(-1);
  if (!last) return "none";
  if (last.p99 > KNEE_P99_MS) return "p99";
  if (last.delivered < (1 - KNEE_MAX_LOSS) * last.expected) return "loss";
  const previous = steps.at(-2);
  // Writers that fall behind skip ahead rather than burst, so a saturated generator shows as
  // deliveries that stop following the rate.
  if (previous && last.rateHz > previous.rateHz && last.deliveredPerS < MIN_GROWTH * previous.deliveredPerS) return "plateau";
  return "none";
}

/** Best delivered frames/s within the limits. */
export function bestFramesPerS(steps: KneeStep[]): number {
  return Math.max(0, ...steps.filter(withinLimits).map((s) => s.deliveredPerS));
}

/** A real knee: the server's latency or losses ended the search, not the generators. */
export function kneeReached(steps: KneeStep[]): boolean {
  const ending = kneeEnding(steps);
  return ending === "p99" || ending === "loss";
}

/** Server CPU time per delivered frame (µs): its efficiency, whatever else limited the rate. */
export function cpuMicrosPerFrame(step: KneeStep): number {
  return ((step.serverCpuPct / 100) * 1e6) / Math.max(1, step.deliveredPerS);
}

/** Rates from `minRate` up that every listed server ran within the limits, ascending: where
 *  their CPU per frame can be compared at the same offered load. */
export function commonRates(stepsByServer: KneeStep[][], minRate: number): number[] {
  const sets = stepsByServer.map((steps) => new Set(steps.filter(withinLimits).map((s) => s.rateHz)));
  if (sets.length === 0) return [];
  return [...sets[0]].filter((rate) => rate >= minRate && sets.every((set) => set.has(rate))).sort((a, b) => a - b);
}

/**
 * How many more frames `ours` delivers per server CPU-second than `peer`, as the median over
 * `rates` of peer µs/frame ÷ ours µs/frame: one step is a few seconds on a shared machine,
 * and the median of several is steadier than any one of them.
 */
export function efficiencyRatio(ours: KneeStep[], peer: KneeStep[], rates: number[]): number | undefined {
  const ratios = rates
    .map((rate) => {
      const o = ours.find((s) => s.rateHz === rate);
      const p = peer.find((s) => s.rateHz === rate);
      return o && p ? cpuMicrosPerFrame(p) / cpuMicrosPerFrame(o) : undefined;
    })
    .filter((r): r is number => r !== undefined)
    .sort((a, b) => a - b);
  if (ratios.length === 0) return undefined;
  const mid = Math.floor(ratios.length / 2);
  return ratios.length % 2 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
}

export function describeEnding(steps: KneeStep[]): string {
  const ending = kneeEnding(steps);
  const last = steps.at(-1);
  if (!last) return "not run";
  switch (ending) {
    case "p99":
      return `knee: p99 ${last.p99.toFixed(0)} ms at ${last.rateHz}/s`;
    case "loss":
      return `knee: ${((1 - last.delivered / last.expected) * 100).toFixed(1)}% lost at ${last.rateHz}/s`;
    case "plateau":
      return `not reached: deliveries stopped rising at ${last.rateHz}/s with generators at ${Math.max(...last.generatorCpuPct).toFixed(0)}% CPU`;
    case "none":
      return `not reached by ${last.rateHz}/s (the highest rate tried)`;
  }
}
