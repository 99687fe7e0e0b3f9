// The log format operators ship: one JSON object per line with time, level and message, the
// child logger's ids on every line, an Error written with its stack; LOG_LEVEL filters.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const PROJECT_DIR = path.resolve(import.meta.dirname, "..");

async function linesLoggedWith(level: string | undefined, script: string): Promise<Record<string, unknown>[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", LOG_PRETTY: "" };
  if (level === undefined) delete env.LOG_LEVEL;
  else env.LOG_LEVEL = level;
  const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", `import { log } from "./server/log.ts";\n${script}`], {
    cwd: PROJECT_DIR,
    env,
  });
  // Both streams, in time order (warnings and errors go to stderr).
  const lines = `${stdout}\n${stderr}`.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return lines.sort((a, b) => Date.parse(String(a.time)) - Date.parse(String(b.time)));
}

test("JSON lines with time, level, message, fields, connection ids and error stacks", async () => {
  const lines = await linesLoggedWith(
    undefined,
    `const connection = log.child({ connection: "c1", documentId: "d1" });
     connection.info("joined", { role: "editor" });
     connection.error("failed", { error: new Error("boom") });
     log.debug("hidden at info");`,
  );
  assert.equal(lines.length, 2);
  const [joined, failed] = lines;
  assert.equal(joined.level, "info");
  assert.equal(joined.message, "joined");
  assert.equal(joined.connection, "c1");
  assert.equal(joined.documentId, "d1");
  assert.equal(joined.role, "editor");
  assert.ok(!Number.isNaN(Date.parse(String(joined.time))), "ISO time");
  assert.equal(failed.level, "error");
  const error = failed.error as { message: string; stack: string; type: string };
  assert.equal(error.message, "boom");
  assert.match(error.stack, /Error: boom\n\s+at /);
});

test("LOG_LEVEL=warn drops info; silent keeps only errors", async () => {
  const script = `log.info("i"); log.warn("w"); log.error("e");`;
  assert.deepEqual((await linesLoggedWith("warn", script)).map((l) => l.message), ["w", "e"]);
  assert.deepEqual((await linesLoggedWith("silent", script)).map((l) => l.message), ["e"]);
});
