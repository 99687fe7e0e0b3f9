// Entry point of a conversion worker thread (started by ConversionPool): runs one task at a
// time and posts back the result, or the reason the input cannot be read. The editor schema
// and converters are loaded once, at start, and warmed up with a small document so the first
// real request does not pay for compiling them.
import { parentPort } from "node:worker_threads";
import * as Y from "yjs";
import { DOCUMENT_FORMATS, UnreadableContentError } from "../../../lib/editor/documentFormats.ts";
import { runConversion, type ConversionResult, type ConversionTask, type ImportResult } from "./conversionTasks.ts";

/** What the pool sends: a task and its number. */
export interface WorkerRequest {
  id: number;
  task: ConversionTask;
}

/** What a worker answers: `ready` once loaded, then one reply per request. */
export type WorkerReply =
  | { kind: "ready" }
  | { kind: "done"; id: number; result: ConversionResult }
  | { kind: "unreadable"; id: number; message: string }
  | { kind: "failed"; id: number; message: string };

const port = parentPort;
if (!port) throw new Error("conversionWorker runs only as a worker thread");

const WARM_UP_MARKDOWN = "# Warm up\n\nSome **bold**, *em*, `code` and [a link](https://example.com).\n\n- one\n- two\n\n1. first\n\n> quote";
const WARM_UP_HTML = "<h2>Warm</h2><p>up <em>HTML</em></p><ul><li>too</li></ul>";

/** One of each conversion, on a small document. */
function warmUp(): void {
  const encoder = new TextEncoder();
  runConversion({ kind: "import", format: "html", body: encoder.encode(WARM_UP_HTML), state: null });
  const imported = runConversion({ kind: "import", format: "markdown", body: encoder.encode(WARM_UP_MARKDOWN), state: null }) as ImportResult;
  const state = Y.mergeUpdates(imported.updates);
  for (const format of DOCUMENT_FORMATS) runConversion({ kind: "export", format, state });
}

warmUp();
port.postMessage({ kind: "ready" } satisfies WorkerReply);

port.on("message", ({ id, task }: WorkerRequest) => {
  let reply: WorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const result = runConversion(task);
    // Moved, not copied (each update has its own buffer; a Set in case two ever share one).
    if (result.kind === "import") {
      const buffers = [...result.updates, ...(result.wholeState ? [result.wholeState] : [])].map((bytes) => bytes.buffer as ArrayBuffer);
      transfer.push(...new Set(buffers));
    }
    reply = { kind: "done", id, result };
  } catch (error) {
    reply =
      error instanceof UnreadableContentError
        ? { kind: "unreadable", id, message: error.message }
        : { kind: "failed", id, message: String((error as Error)?.stack ?? error) };
  }
  port.postMessage(reply, transfer);
});
