// The hot document (issue 17): one document, 1 writer + 49 readers, every update delivered to
// every reader, at 3,000 and 5,000 updates/s. The server is pinned to core 0 and the load
// generators (bench/load/hotClients.ts, 2 processes) to core 1, so neither takes the other's
// CPU; the database is not pinned. Ours on PostgreSQL and on embedded PGlite, Hocuspocus +
// extension-database on the same PostgreSQL. Run by bench/run.ts (`--scenarios=hot` alone).

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BENCH_DIR, sleep, startChild, type Child } from "./lib/child.ts";
import { databaseCpuMsBetween, readDatabaseCpu } from "./lib/databaseCpu.ts";
import { fmt, percentile, ratio } from "./lib/stats.ts";

export type HotServer = "ours" | "ours-pglite" | "hocuspocus";
export const HOT_SERVERS: HotServer[] = ["ours", "ours-pglite", "hocuspocus"];
const LABEL: Record<HotServer, string> = {
  ours: "ours (PostgreSQL)",
  "ours-pglite": "ours (embedded PGlite)",
  hocuspocus: "Hocuspocus + extension-database (PostgreSQL)",
};
export const HOT_RATES = [3_000, 5_000];
const READERS = 49;
const GENERATORS = 2;
/** Goals of issue 17. */
const P99_GOAL_MS: Partial<Record<HotServer, number>> = { ours: 30, "ours-pglite": 60 };
const CPU_GOAL_VS_HOCUSPOCUS = 0.8;
/** How long readers keep counting after the writer stops: an update not received by then is
 *  counted as not delivered (a server that fell behind still owes it). */
const DRAIN_MS = 3_000;

export interface HotStep {
  rateHz: number;
  p50: number;
  p99: number;
  sent: number;
  expected: number;
  delivered: number;
  serverCpuMs: number;
  /** Server CPU-seconds per 10⁶ delivered updates. */
  cpuSecondsPerMillion: number;
  databaseCpuSecondsPerMillion: number;
  generatorCpuPct: number[];
  serverLoopDelayMaxMs: number;
}

export interface HotResult {
  server: HotServer;
  steps: HotStep[];
  pinned: boolean;
  loadavg: [number, number];
  error?: string;
}

/** Pins a process and all its threads to one core (util-linux taskset); false if it cannot. */
function pin(child: Child, core: number): boolean {
  if (os.cpus().length < 2 || !child.process.pid) return false;
  try {
    execFileSync("taskset", ["-a", "-p", "-c", String(core), String(child.process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export async function runHot(options: {
  databaseUrl: string;
  servers: HotServer[];
  durationMs: number;
  /** Replaces HOT_RATES (for profiling one rate). */
  rates?: number[];
  profile: boolean;
  log: (message: string) => void;
}): Promise<HotResult[]> {
  const { log } = options;
  const results: HotResult[] = [];
  const profileArgs = (dir: string) => (options.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.join(BENCH_DIR, "profiles", dir)}`] : []);
  const gens = await Promise.all(Array.from({ length: GENERATORS }, () => startChild("load/hotClients.ts", {}, 60_000, ["--max-semi-space-size=64"])));
  let pinned = gens.every((gen) => pin(gen, 1));
  try {
    for (const kind of options.servers) {
      const pgliteDir = kind === "ours-pglite" ? mkdtempSync(path.join(os.tmpdir(), "collab-bench-hot-")) : null;
      const env: Record<string, string> = pgliteDir ? { BENCH_OURS_DATABASE: "pglite", BENCH_PGLITE_DIR: pgliteDir } : { BENCH_DATABASE_URL: options.databaseUrl };
      const loadBefore = os.loadavg()[0];
      const result: HotResult = { server: kind, steps: [], pinned, loadavg: [loadBefore, loadBefore] };
      results.push(result);
      const server = await startChild(`servers/${kind === "hocuspocus" ? "hocuspocus" : "ours"}.ts`, env, 120_000, profileArgs(`hot-${kind}`));
      result.pinned = pinned = pin(server, 0) && pinned;
      try {
        for (const rateHz of options.rates ?? HOT_RATES) {
          const step = await hotStep(server, gens, rateHz, options.durationMs, `hot-${kind}-${rateHz}`);
          result.steps.push(step);
          log(
            `hot ${kind} @${rateHz}/s: p50 ${fmt(step.p50, 2)} ms p99 ${fmt(step.p99, 2)} ms, ${step.delivered}/${step.expected} delivered, server ${fmt(step.cpuSecondsPerMillion, 2)} CPU-s per 10⁶ deliveries (loop stall max ${fmt(step.serverLoopDelayMaxMs)} ms), database ${fmt(step.databaseCpuSecondsPerMillion, 2)}, generators ${step.generatorCpuPct.map((c) => fmt(c)).join("/")}%`,
          );
        }
      } catch (error) {
        result.error = (error as Error).message.split("\n")[0];
        log(`hot ${kind}: FAILED: ${(error as Error).stack}`);
        await Promise.all(gens.map((gen) => gen.request("disconnect").catch(() => {})));
      } finally {
        await server.kill();
        if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
        result.loadavg[1] = os.loadavg()[0];
      }
    }
  } finally {
    await Promise.all(gens.map((gen) => gen.kill()));
  }
  return results;
}

async function hotStep(server: Child & { ready: any }, gens: Child[], rateHz: number, durationMs: number, docId: string): Promise<HotStep> {
  const protocol = server.ready.client;
  const url = server.ready.url;
  // Generator 0 holds the writer and half the readers, generator 1 the rest.
  const readers = [Math.floor(READERS / 2), READERS - Math.floor(READERS / 2)];
  await Promise.all(gens.map((gen, i) => gen.request("connect", { protocol, url, docId, writer: i === 0, readers: readers[i], timeoutMs: 60_000 })));
  await sleep(500);
  const before = await server.request("stats");
  const databaseBefore = readDatabaseCpu();
  const startAtMs = performance.timeOrigin + performance.now() + 200;
  const runs: any[] = await Promise.all(gens.map((gen) => gen.request("run", { rateHz, durationMs, drainMs: DRAIN_MS, startAtMs })));
  const after = await server.request("stats");
  const databaseAfter = readDatabaseCpu();
  await Promise.all(gens.map((gen) => gen.request("disconnect")));
  await server.request("settle", { timeoutMs: 60_000 }).catch(() => {});
  const samples = runs.flatMap((r) => r.samples).sort((a: number, b: number) => a - b);
  const sent = runs.reduce((s, r) => s + r.sent, 0);
  const delivered = runs.reduce((s, r) => s + r.received, 0);
  const serverCpuMs = after.cpuMs - before.cpuMs;
  const perMillion = (ms: number) => ms / 1000 / (Math.max(1, delivered) / 1e6);
  return {
    rateHz,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    sent,
    expected: sent * READERS,
    delivered,
    serverCpuMs,
    cpuSecondsPerMillion: perMillion(serverCpuMs),
    databaseCpuSecondsPerMillion: perMillion(databaseCpuMsBetween(databaseBefore, databaseAfter)),
    generatorCpuPct: runs.map((r) => (r.cpuMs / r.windowMs) * 100),
    serverLoopDelayMaxMs: after.loopDelayMaxMs,
  };
}

export function renderHot(results: HotResult[], durationMs: number, command: string): string {
  const lines: string[] = [];
  const row = (cells: string[]) => lines.push(`| ${cells.join(" | ")} |`);
  const of = (kind: HotServer) => results.find((r) => r.server === kind);
  const step = (kind: HotServer, rate: number) => of(kind)?.steps.find((s) => s.rateHz === rate);
  const cell = (kind: HotServer, show: (s: HotStep) => string) => (rate: number) => {
    const s = step(kind, rate);
    return s ? show(s) : of(kind)?.error ? "failed" : "n/a";
  };
  const pinned = results.length > 0 && results.every((r) => r.pinned);
  lines.push("## The hot document (issue 17): 1 writer + 49 readers on one document", "");
  lines.push(
    `Generated by \`${command}\` on ${new Date().toISOString()}. Every update delivered to all 49 readers; ${durationMs / 1000} s per rate. ` +
      `${pinned ? "Server pinned to core 0, the 2 load-generator processes to core 1 (`taskset`)" : "NOT pinned (taskset missing or one core)"}; PostgreSQL not pinned. ` +
      "Readers are ws sockets that find the latency tokens in the bytes received (no Y.Doc), so the generators keep up; the writer is a Y.Doc sending one sync-update message per insert, starting a new paragraph (its own Y.Text) every 100 tokens. " +
      "CPU-s per 10⁶ deliveries = server process CPU (user + system) ÷ updates received by readers; database CPU = all `postgres` processes on the machine (0 for PGlite, which runs inside the server).",
    "",
  );
  row(["1 doc × 50, per second", ...results.map((r) => LABEL[r.server])]);
  row(["---", ...results.map(() => "---")]);
  for (const rate of HOT_RATES) {
    const label = rate.toLocaleString("en-US");
    row([`${label} updates: p50 / p99 ms`, ...results.map((r) => cell(r.server, (s) => `${fmt(s.p50, 1)} / ${fmt(s.p99, 1)}`)(rate))]);
    row([`${label}: server CPU-s per 10⁶ deliveries`, ...results.map((r) => cell(r.server, (s) => fmt(s.cpuSecondsPerMillion, 2))(rate))]);
    row([`${label}: database CPU-s per 10⁶ deliveries`, ...results.map((r) => cell(r.server, (s) => fmt(s.databaseCpuSecondsPerMillion, 2))(rate))]);
    row([
      `${label}: delivered (not within ${DRAIN_MS / 1000} s) · server loop stall max ms · generator CPU %`,
      ...results.map((r) =>
        cell(r.server, (s) => `${s.delivered.toLocaleString("en-US")} (${(((s.expected - s.delivered) / Math.max(1, s.expected)) * 100).toFixed(1)}%) · ${fmt(s.serverLoopDelayMaxMs)} · ${s.generatorCpuPct.map((c) => fmt(c, 0)).join("/")}`)(rate),
      ),
    ]);
  }
  lines.push("");
  const ours = results.filter((r) => r.server !== "hocuspocus");
  if (ours.length > 0 && of("hocuspocus")) {
    row(["ratio to Hocuspocus", ...HOT_RATES.flatMap((rate) => [`p99 @${rate.toLocaleString("en-US")}`, `CPU per delivery @${rate.toLocaleString("en-US")}`])]);
    row(["---", ...HOT_RATES.flatMap(() => ["---", "---"])]);
    for (const r of ours) {
      row([
        LABEL[r.server],
        ...HOT_RATES.flatMap((rate) => [
          ratio(step(r.server, rate)?.p99, step("hocuspocus", rate)?.p99),
          ratio(step(r.server, rate)?.cpuSecondsPerMillion, step("hocuspocus", rate)?.cpuSecondsPerMillion),
        ]),
      ]);
    }
    lines.push("");
  }
  row(["goal", "measured", "status"]);
  row(["---", "---", "---"]);
  const met = (ok: boolean | undefined) => (ok === undefined ? "not measured" : ok ? "met" : "NOT met");
  for (const kind of ["ours", "ours-pglite"] as HotServer[]) {
    const s = step(kind, 5_000);
    row([`p99 ≤ ${P99_GOAL_MS[kind]} ms at 5,000 updates/s, ${LABEL[kind]}`, s ? `${fmt(s.p99, 1)} ms` : "n/a", met(s && s.p99 <= P99_GOAL_MS[kind]!)]);
    const lost = s ? s.expected - s.delivered : undefined;
    row([`every update delivered at 5,000/s (within ${DRAIN_MS / 1000} s of the end), ${LABEL[kind]}`, lost === undefined ? "n/a" : `${lost.toLocaleString("en-US")} of ${s!.expected.toLocaleString("en-US")}`, met(lost === undefined ? undefined : lost === 0)]);
  }
  const ourCpu = step("ours", 3_000)?.cpuSecondsPerMillion;
  const theirCpu = step("hocuspocus", 3_000)?.cpuSecondsPerMillion;
  row([`server CPU per delivery at 3,000/s ≤ ${CPU_GOAL_VS_HOCUSPOCUS}× Hocuspocus (PostgreSQL)`, ratio(ourCpu, theirCpu), met(ourCpu === undefined || theirCpu === undefined ? undefined : ourCpu <= CPU_GOAL_VS_HOCUSPOCUS * theirCpu)]);
  lines.push("");
  lines.push("A p99 close to the server's longest loop stall is the server waiting for its core (other work on the machine), not its own work: compare runs on an idle machine.", "");
  lines.push(`Machine load (1-min load average before → after each server): ${results.map((r) => `${LABEL[r.server]} ${fmt(r.loadavg[0], 2)} → ${fmt(r.loadavg[1], 2)}`).join(", ")}.`);
  for (const r of results) if (r.error) lines.push("", `- ${LABEL[r.server]} failed: ${r.error}`);
  return lines.join("\n");
}
