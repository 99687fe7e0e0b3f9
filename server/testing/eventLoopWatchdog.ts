// Hang detection for in-process servers: a worker thread watches a heartbeat the main thread
// writes every 100 ms; if the main event loop stops beating for `limitMs` (a frame that sends
// the server into an endless loop), the worker prints the current message and kills the
// process, so the run fails loudly instead of hanging forever (node:test's own timeouts
// cannot fire while the event loop is blocked).

import { Worker } from "node:worker_threads";

/** Bytes kept for the message (UTF-8, truncated). */
const MESSAGE_BYTES = 2_048;

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const beat = new Float64Array(workerData.shared, 0, 1);
const length = new Int32Array(workerData.shared, 8, 1);
const text = new Uint8Array(workerData.shared, 12);
setInterval(() => {
  const stale = Date.now() - beat[0];
  if (stale > workerData.limitMs) {
    const message = Buffer.from(text.slice(0, Atomics.load(length, 0))).toString("utf8");
    fs.writeSync(2, "\\n[watchdog] main event loop blocked for " + stale + " ms: " + message + "\\n");
    process.kill(process.pid, "SIGKILL");
  }
}, 250);
`;

export interface Watchdog {
  /** What is printed if the loop blocks (e.g. the seed and the frame being sent). Cheap. */
  setMessage(message: string): void;
  stop(): Promise<void>;
}

/** Starts a watchdog; see the file comment. */
export function startEventLoopWatchdog(limitMs: number, message: string): Watchdog {
  const shared = new SharedArrayBuffer(12 + MESSAGE_BYTES);
  const beat = new Float64Array(shared, 0, 1);
  const length = new Int32Array(shared, 8, 1);
  const text = new Uint8Array(shared, 12);
  const encoder = new TextEncoder();
  const setMessage = (next: string) => {
    const { written } = encoder.encodeInto(next, text);
    Atomics.store(length, 0, written);
  };
  setMessage(message);
  beat[0] = Date.now();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared, limitMs } });
  worker.unref();
  const timer = setInterval(() => {
    beat[0] = Date.now();
  }, 100);
  timer.unref();
  return {
    setMessage,
    async stop() {
      clearInterval(timer);
      await worker.terminate();
    },
  };
}
