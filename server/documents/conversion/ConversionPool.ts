// A small pool of worker threads for the content API's conversions (Markdown/HTML ↔ the
// editor schema ↔ Yjs), so parsing a 1 MB body or rendering a large document never holds up the
// event loop that serves every socket. Bounded: a few workers, a short queue, and beyond that a
// refusal (ConversionError "busy", answered 503 with Retry-After) rather than unbounded memory.
// A worker that crashes, runs out of memory or overruns its time fails only its own task
// ("failed", 500) and is replaced by a fresh one on the next task.
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { Logger } from "../../log.ts";
import { ConversionError } from "./conversionErrors.ts";
import type { ConversionResult, ConversionTask } from "./conversionTasks.ts";
import type { Conversions } from "./liveConversions.ts";
import type { WorkerReply, WorkerRequest } from "./conversionWorker.ts";

/** Worker threads (each holds the editor schema and converters: about 100 MB of RSS). Two, on
 *  the 2-core machines this is built for: one conversion per core beside the main thread. */
export const CONVERSION_WORKERS = 2;
/** A worker with nothing to do for this long stops, so a server at rest does not hold their
 *  memory; the next conversion starts one again (a few hundred ms, paid once per burst). */
export const CONVERSION_WORKER_IDLE_MS = 5 * 60_000;
/** Tasks that may wait for a worker; one more is refused with "busy". */
export const MAX_QUEUED_CONVERSIONS = 8;
/** A task taking longer than this stops its worker (a 1 MB import takes about 1 s). */
export const CONVERSION_TIMEOUT_MS = 30_000;
/** Heap of each worker: an input that would need more kills its worker, not the server. */
export const CONVERSION_WORKER_HEAP_MB = 1_024;

const WORKER_MODULE = new URL("./conversionWorker.ts", import.meta.url);

export interface ConversionPoolOptions {
  workers?: number;
  maxQueued?: number;
  timeoutMs?: number;
  resourceLimits?: ResourceLimits;
  idleMs?: number;
  log?: Logger;
}

interface Job {
  id: number;
  task: ConversionTask;
  transfer: ArrayBuffer[];
  resolve(result: ConversionResult): void;
  reject(error: ConversionError): void;
}

interface Slot {
  worker: Worker;
  /** Resolves when the worker has loaded and warmed up its converters. */
  ready: Promise<void>;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Stops the worker once it has been idle for idleMs. */
  idleTimer: NodeJS.Timeout | null;
  /** Why it stopped, when we know better than its exit code (timeout, out of memory). */
  stopReason: string | null;
}

export class ConversionPool implements Conversions {
  private readonly slots: (Slot | null)[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly maxQueued: number;
  private readonly timeoutMs: number;
  private readonly idleMs: number;

  constructor(private readonly options: ConversionPoolOptions = {}) {
    this.slots = new Array<Slot | null>(options.workers ?? CONVERSION_WORKERS).fill(null);
    this.maxQueued = options.maxQueued ?? MAX_QUEUED_CONVERSIONS;
    this.timeoutMs = options.timeoutMs ?? CONVERSION_TIMEOUT_MS;
    this.idleMs = options.idleMs ?? CONVERSION_WORKER_IDLE_MS;
  }

  run(task: ConversionTask, transfer: ArrayBuffer[] = []): Promise<ConversionResult> {
    if (this.closed) return Promise.reject(new ConversionError("failed", "The server is shutting down."));
    const idleWorker = this.slots.some((slot) => slot === null || slot.job === null);
    if (!idleWorker && this.queue.length >= this.maxQueued) {
      return Promise.reject(new ConversionError("busy", "The server is converting as many documents as it can; try again in a moment."));
    }
    return new Promise<ConversionResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, transfer, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts every worker now rather than at the first task (tests and benchmarks that time a
   *  conversion without the workers' start-up). */
  async warm(): Promise<void> {
    await Promise.all(this.slots.map((_, index) => this.slotAt(index).ready));
  }

  /** Tasks running or waiting (for tests and metrics). */
  get pending(): number {
    return this.queue.length + this.slots.filter((slot) => slot?.job).length;
  }

  /** Worker threads running now, busy or idle (for tests and metrics). */
  get workersRunning(): number {
    return this.slots.filter(Boolean).length;
  }

  /** Refuses new tasks, fails those waiting, and stops the workers (running tasks fail). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new ConversionError("failed", "The server is shutting down."));
    await Promise.all(this.slots.map((slot) => slot?.worker.terminate()));
  }

  private dispatch(): void {
    for (let index = 0; index < this.slots.length && this.queue.length > 0; index++) {
      if (this.slots[index]?.job) continue;
      const slot = this.slotAt(index);
      const job = this.queue.shift()!;
      slot.job = job;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      slot.worker.ref();
      // Timed from when the worker is ready: loading the converters is not the task's doing.
      void slot.ready.then(() => {
        if (slot.job !== job) return;
        slot.timer = setTimeout(() => {
          slot.stopReason = `The conversion took longer than ${this.timeoutMs / 1000} s and was stopped.`;
          void slot.worker.terminate();
        }, this.timeoutMs);
      });
      slot.worker.postMessage({ id: job.id, task: job.task } satisfies WorkerRequest, job.transfer);
    }
  }

  /** The slot's worker, started if it is not running. */
  private slotAt(index: number): Slot {
    const existing = this.slots[index];
    if (existing) return existing;
    const worker = startWorker(this.options.resourceLimits ?? { maxOldGenerationSizeMb: CONVERSION_WORKER_HEAP_MB });
    // Idle workers must not keep the process alive; a busy one is ref'd while it works.
    worker.unref();
    let markReady!: () => void;
    const slot: Slot = { worker, ready: new Promise<void>((resolve) => (markReady = resolve)), job: null, timer: null, idleTimer: null, stopReason: null };
    this.slots[index] = slot;
    worker.on("message", (reply: WorkerReply) => {
      if (reply.kind === "ready") {
        markReady();
        if (!slot.job) this.stopWhenIdle(slot);
        return;
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      this.finish(slot);
      if (reply.kind === "done") job.resolve(reply.result);
      else if (reply.kind === "unreadable") job.reject(new ConversionError("unreadable", reply.message));
      else {
        this.options.log?.error("conversion failed", { task: job.task.kind, error: reply.message });
        job.reject(new ConversionError("failed", "The content could not be converted."));
      }
      this.dispatch();
    });
    worker.on("error", (error) => {
      // ERR_WORKER_OUT_OF_MEMORY when the heap limit is reached; an uncaught exception otherwise.
      slot.stopReason ??=
        (error as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY"
          ? "The conversion needed more memory than a converter may use."
          : "The converter stopped unexpectedly.";
      this.options.log?.error("conversion worker error", { error: String(error?.stack ?? error) });
    });
    worker.on("exit", (exitCode) => {
      markReady();
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      if (this.slots[index] === slot) this.slots[index] = null;
      const job = slot.job;
      this.finish(slot);
      if (job) {
        const reason = slot.stopReason ?? `The converter stopped unexpectedly (exit code ${exitCode}).`;
        if (!this.closed) this.options.log?.warn("conversion worker stopped during a task; replacing it", { task: job.task.kind, reason });
        job.reject(new ConversionError("failed", `${reason} Nothing was changed.`));
      }
      if (!this.closed) this.dispatch();
    });
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
    this.stopWhenIdle(slot);
  }

  private stopWhenIdle(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (!slot.job) void slot.worker.terminate();
    }, this.idleMs);
    slot.idleTimer.unref();
  }
}

/**
 * A worker running conversionWorker.ts. Workers do not inherit the TypeScript loader the server
 * runs under (tsx registers its hooks per thread, and `new Worker("x.ts")` fails with
 * ERR_UNKNOWN_FILE_EXTENSION in Node 20), so a one-line bootstrap registers tsx's loader in the
 * thread first: the same under `npm start`, `npm run dev` and `node --import tsx --test`.
 */
function startWorker(resourceLimits: ResourceLimits): Worker {
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_MODULE.href)}); })`;
  return new Worker(bootstrap, { eval: true, resourceLimits });
}
