// Child-process plumbing for the benchmark: the orchestrator forks servers and load
// generators (node --import tsx) and talks to them over IPC with request/response ids.
// Every child is killed when the orchestrator exits, however it exits.

import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = path.dirname(BENCH_DIR);

/** How long any single request to a child may take before the run fails. */
export const REQUEST_TIMEOUT_MS = 120_000;

const live = new Set<ChildProcess>();

/** Kills every child still alive (SIGKILL: they hold no state we need). */
export function killAllChildren(): void {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {}
  }
  live.clear();
}
process.on("exit", killAllChildren);

export interface Child {
  process: ChildProcess;
  request<T = any>(type: string, payload?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  kill(): Promise<void>;
}

/** Forks `bench/<script>` under tsx and waits for its `{ type: "ready" }` message. */
export async function startChild(script: string, env: Record<string, string> = {}, readyTimeoutMs = 60_000, extraExecArgv: string[] = []): Promise<Child & { ready: any }> {
  const child = fork(path.join(BENCH_DIR, script), [], {
    execArgv: ["--import", "tsx", "--expose-gc", "--max-old-space-size=4096", ...extraExecArgv],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    cwd: REPO_ROOT,
  });
  live.add(child);
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let readyResolve!: (v: any) => void;
  let readyReject!: (e: Error) => void;
  const ready = new Promise<any>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  child.on("message", (message: any) => {
    if (message?.type === "ready") return readyResolve(message);
    const entry = pending.get(message?.id);
    if (!entry) return;
    pending.delete(message.id);
    clearTimeout(entry.timer);
    if (message.error) entry.reject(new Error(`${script}: ${message.error}`));
    else entry.resolve(message.result);
  });
  // An IPC send to a process that just exited reports here; the exit handler rejects the rest.
  child.on("error", () => undefined);
  child.on("exit", (code, signal) => {
    live.delete(child);
    const error = new Error(`${script} exited (code ${code}, signal ${signal})`);
    readyReject(error);
    for (const entry of pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    pending.clear();
  });
  const timer = setTimeout(() => readyReject(new Error(`${script} not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
  const readyMessage = await ready.finally(() => clearTimeout(timer));
  return {
    process: child,
    ready: readyMessage,
    request(type, payload = {}, timeoutMs = REQUEST_TIMEOUT_MS) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${script}: ${type} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        if (!child.connected) {
          pending.delete(id);
          clearTimeout(timer);
          reject(new Error(`${script}: ${type}: the process has exited`));
          return;
        }
        child.send({ id, type, ...payload }, (error) => {
          if (!error || !pending.has(id)) return;
          pending.delete(id);
          clearTimeout(timer);
          reject(error);
        });
      });
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      // A clean exit first (so --cpu-prof can write its profile), SIGKILL if it does not come.
      child.send({ id: 0, type: "exit" });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      live.delete(child);
    },
  };
}

/** In a child: answers orchestrator requests with `handlers`, exits when the parent goes away. */
export function serveRequests(handlers: Record<string, (message: any) => unknown | Promise<unknown>>): void {
  process.on("disconnect", () => process.exit(0));
  process.on("message", async (message: any) => {
    if (message?.type === "exit") process.exit(0);
    const handler = handlers[message?.type];
    try {
      if (!handler) throw new Error(`unknown request ${message?.type}`);
      const result = await handler(message);
      process.send?.({ id: message.id, result: result ?? null });
    } catch (error) {
      process.send?.({ id: message.id, error: (error as Error)?.stack ?? String(error) });
    }
  });
}

/** Event-loop delay of this process since the previous processStats call (1 ms resolution). */
let loopDelay: IntervalHistogram | null = null;

/**
 * CPU time (user + system, ms), memory and the event loop's worst delays of this process since
 * the previous call; collects garbage first when asked. A long loop delay in a server shows a
 * stall of its own; latency without one comes from elsewhere (generators, kernel, other processes).
 */
export function processStats(collect = false): { cpuMs: number; rssBytes: number; heapUsedBytes: number; externalBytes: number; loopDelayP99Ms: number; loopDelayMaxMs: number } {
  if (collect && typeof globalThis.gc === "function") {
    globalThis.gc();
    globalThis.gc();
  }
  if (!loopDelay) {
    loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const delays = { loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6 };
  loopDelay.reset();
  return { cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, externalBytes: memory.external, ...delays };
}

/** One clock for every process on the machine: wall-clock milliseconds with sub-ms precision. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
