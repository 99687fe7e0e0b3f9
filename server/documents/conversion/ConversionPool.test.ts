// The conversion pool (ConversionPool.ts) with real worker threads running the real converters:
// what a worker returns is what the same conversion returns in-thread; unreadable input comes
// back as such; a full queue refuses at once; a worker that overruns its time or its heap fails
// only its own task and the next task gets a fresh worker; an idle worker stops.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import { ConversionPool } from "./ConversionPool.ts";
import { runConversion, type ConversionResult, type ExportResult, type ImportResult } from "./conversionTasks.ts";
import { conversionErrorCode } from "./conversionErrors.ts";
import { DOCUMENT_FORMATS } from "../../../lib/editor/documentFormats.ts";
import { largeMarkdown } from "../../testing/largeMarkdown.ts";

const encoder = new TextEncoder();

const MARKDOWN = [
  "# Title",
  "## Section",
  "A paragraph with **bold**, *italic*, ~~strike~~, `code` and a [link](https://example.com/a?b=c).",
  "- bullet\n- list\n  - nested",
  "1. ordered\n2. list",
  "> a quote",
  "```\nconst code = true;\n```",
  "---",
  "Line  \nbreak",
].join("\n\n");

/** The error code a rejected promise carries. */
async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return conversionErrorCode(error);
  }
}

/** A whole document's state from an import's updates. */
function stateOf(result: ConversionResult): Uint8Array {
  return Y.mergeUpdates((result as ImportResult).updates);
}

describe("conversion pool", () => {
  let pool: ConversionPool;
  before(async () => {
    pool = new ConversionPool({ workers: 1, maxQueued: 1 });
    await pool.warm();
  });
  after(() => pool.close());

  test("a worker's import and export equal the same conversions in-thread", async () => {
    for (const format of ["markdown", "html"] as const) {
      const body = format === "markdown" ? MARKDOWN : "<h1>Title</h1><p>Some <strong>bold</strong> <a href=\"javascript:alert(1)\">text</a></p><script>x()</script>";
      const inWorker = await pool.run({ kind: "import", format, body: encoder.encode(body), state: null });
      const inThread = runConversion({ kind: "import", format, body: encoder.encode(body), state: null });
      assert.equal((inWorker as ImportResult).heading, "Title");
      // The Yjs client ids differ (each scratch document has its own): compare what the updates make.
      for (const output of DOCUMENT_FORMATS) {
        const fromWorker = runConversion({ kind: "export", format: output, state: stateOf(inWorker) }) as ExportResult;
        const fromThread = runConversion({ kind: "export", format: output, state: stateOf(inThread) }) as ExportResult;
        assert.equal(fromWorker.text, fromThread.text, `${format} → ${output}`);
      }
    }
    const state = stateOf(runConversion({ kind: "import", format: "markdown", body: encoder.encode(MARKDOWN), state: null }));
    for (const format of DOCUMENT_FORMATS) {
      const inWorker = (await pool.run({ kind: "export", format, state })) as ExportResult;
      assert.equal(inWorker.text, (runConversion({ kind: "export", format, state }) as ExportResult).text, format);
    }
    assert.equal(((await pool.run({ kind: "export", format: "markdown", state })) as ExportResult).text, MARKDOWN);
  });

  test("input that is not a document comes back as unreadable, with the reason", async () => {
    const notUtf8 = pool.run({ kind: "import", format: "markdown", body: new Uint8Array([0x48, 0xff, 0xfe]), state: null });
    await assert.rejects(notUtf8, (error: Error) => conversionErrorCode(error) === "unreadable" && /UTF-8/.test(error.message));
    const tooDeep = pool.run({ kind: "import", format: "html", body: encoder.encode("<div>".repeat(20_000)), state: null });
    await assert.rejects(tooDeep, (error: Error) => conversionErrorCode(error) === "unreadable" && /HTML could not be read/.test(error.message));
  });

  test("with the worker busy and the queue full, another task is refused at once; the others complete", async () => {
    const task = () => pool.run({ kind: "import", format: "markdown", body: encoder.encode(MARKDOWN), state: null });
    const running = task(); // taken by the worker
    const queued = task(); // waits
    const refused = task();
    assert.equal(pool.pending, 2);
    assert.equal(await codeOf(refused), "busy");
    assert.equal((await running).kind, "import");
    assert.equal((await queued).kind, "import");
    assert.equal(pool.pending, 0);
  });
});

describe("conversion pool: a worker that stops", () => {
  test("a task past its time stops its worker and fails; the next task gets a fresh worker", async () => {
    const pool = new ConversionPool({ workers: 1, timeoutMs: 100 });
    try {
      await pool.warm();
      const slow = pool.run({ kind: "import", format: "markdown", body: encoder.encode(largeMarkdown(1_000_000)), state: null });
      await assert.rejects(slow, (error: Error) => conversionErrorCode(error) === "failed" && /took longer than 0.1 s/.test(error.message));
      const next = await pool.run({ kind: "import", format: "markdown", body: encoder.encode("# Still here"), state: null });
      assert.equal((next as ImportResult).heading, "Still here");
    } finally {
      await pool.close();
    }
  });

  test("a worker that runs out of heap fails only its task (the server process is unaffected); the next gets a fresh worker", async () => {
    const pool = new ConversionPool({ workers: 1, resourceLimits: { maxOldGenerationSizeMb: 48 } });
    try {
      const huge = pool.run({ kind: "import", format: "markdown", body: encoder.encode(largeMarkdown(1_000_000)), state: null });
      await assert.rejects(huge, (error: Error) => conversionErrorCode(error) === "failed" && /more memory/.test(error.message));
      const next = await pool.run({ kind: "import", format: "markdown", body: encoder.encode("# Small"), state: null });
      assert.equal((next as ImportResult).heading, "Small");
    } finally {
      await pool.close();
    }
  });
});

describe("conversion pool: at rest", () => {
  test("a worker idle for idleMs stops, so the pool holds no threads at rest; the next task starts one again", async () => {
    const pool = new ConversionPool({ workers: 2, idleMs: 300 });
    try {
      assert.equal(pool.workersRunning, 0, "no worker before the first task");
      const first = await pool.run({ kind: "import", format: "markdown", body: encoder.encode("# First"), state: null });
      assert.equal((first as ImportResult).heading, "First");
      assert.equal(pool.workersRunning, 1, "one worker started for one task");
      const deadline = Date.now() + 10_000;
      while (pool.workersRunning > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(pool.workersRunning, 0, "the idle worker stopped");
      const again = await pool.run({ kind: "import", format: "markdown", body: encoder.encode("# Again"), state: null });
      assert.equal((again as ImportResult).heading, "Again");
    } finally {
      await pool.close();
    }
  });
});
