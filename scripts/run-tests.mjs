// `npm test`: generates the Prisma client, runs the Node test suites (unit + integration),
// builds the app and runs the Playwright e2e suite, then prints one summary line
// "N passed, N failed, N skipped" over every suite.
//
// PostgreSQL-backed tests run when DATABASE_URL is set (CI always sets it); the e2e suite
// needs Chromium at CHROMIUM_PATH (default /usr/bin/chromium). On a newcomer's machine a
// missing optional service is reported as skipped; under CI=true it is a failure.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const ci = process.env.CI === "true";
const totals = { passed: 0, failed: 0, skipped: 0 };
// CI stops at 90 minutes; a full run takes about 25. Each suite gets a limit well inside that,
// so a hang still ends with the summary line.
const NODE_SUITE_LIMIT_MINUTES = 40;
const E2E_SUITE_LIMIT_MINUTES = 35;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  return result.status ?? 1;
}

/**
 * Runs a suite in its own process group, killing the whole group after `limitMinutes`: a test
 * file whose process never exits (a timer or socket left open) must fail the run with a
 * message, not hang CI past its own limit with no summary line. Resolves with the exit
 * status, or "timeout".
 */
function runBounded(command, args, limitMinutes, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", detached: true, ...options });
    const killGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const forward = (signal) => () => killGroup(signal);
    const onInt = forward("SIGINT");
    const onTerm = forward("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`${command} ${args[0] ?? ""}… did not finish within ${limitMinutes} minutes: stopped (a test left a process running?)`);
      killGroup("SIGKILL");
    }, limitMinutes * 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      // Anything the suite started in its group (test files, browsers, servers) goes with it.
      killGroup("SIGKILL");
      resolve(timedOut ? "timeout" : (code ?? 1));
    });
  });
}

function findTests(dir, found = []) {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry.startsWith(".") || entry === "generated") continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) findTests(full, found);
    else if (entry.endsWith(".test.ts")) found.push(path.relative(root, full));
  }
  return found;
}

if (run("npm", ["run", "--silent", "generate"]) !== 0) {
  console.error("prisma generate failed");
  process.exit(1);
}

// --- Type check (one test: the whole project, tests included) ----------------------------
const only = process.argv.slice(2);
if (only.length === 0 || only.includes("typecheck")) {
  console.log("type-checking (tsc --noEmit)");
  if (run("npx", ["tsc", "--noEmit", "-p", "."]) === 0) totals.passed++;
  else totals.failed++;
}

// --- Node suites -------------------------------------------------------------------------
const runE2e = only.length === 0 || only.includes("e2e");
const runNode = only.length === 0 || only.includes("node");
if (runNode) {
  const files = ["server", "lib", "scripts", "app"].flatMap((d) => (existsSync(path.join(root, d)) ? findTests(path.join(root, d)) : []));
  const tapFile = path.join(mkdtempSync(path.join(os.tmpdir(), "node-tests-")), "results.tap");
  for (const [variable, what] of [["DATABASE_URL", "PostgreSQL"], ["REDIS_URL", "Redis"]]) {
    if (process.env[variable]) continue;
    const message = `${variable} is not set: the ${what} variants of the tests are skipped`;
    if (ci) {
      console.error(`${message}, which CI does not allow`);
      totals.failed++;
    } else console.warn(message);
  }
  const status = await runBounded(process.execPath, [
    "--import", "tsx",
    "--test",
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=tap", `--test-reporter-destination=${tapFile}`,
    ...files,
  ], NODE_SUITE_LIMIT_MINUTES, { env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" } });
  const tap = existsSync(tapFile) ? readFileSync(tapFile, "utf8") : "";
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, "m"))?.[1] ?? 0);
  if (status === "timeout") {
    // No summary was written: count the tests that reported, and the hang as one failure.
    totals.passed += (tap.match(/^\s*ok \d+ /gm) ?? []).length;
    totals.failed += (tap.match(/^\s*not ok \d+ /gm) ?? []).length + 1;
  } else {
    if (!tap) totals.failed++;
    totals.passed += count("pass");
    totals.failed += count("fail") + count("cancelled");
    totals.skipped += count("skipped") + count("todo");
  }
}

// --- Playwright e2e -----------------------------------------------------------------------
if (runE2e) {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    const message = `Chromium not found at ${chromium}: e2e suite skipped (apt-get install chromium)`;
    if (ci) {
      console.error(message);
      totals.failed++;
    } else {
      console.warn(message);
      totals.skipped++;
    }
  } else if (run("npx", ["next", "build"]) !== 0) {
    console.error("next build failed");
    totals.failed++;
  } else {
    const jsonFile = path.join(mkdtempSync(path.join(os.tmpdir(), "e2e-")), "results.json");
    const status = await runBounded("npx", ["playwright", "test"], E2E_SUITE_LIMIT_MINUTES, {
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile },
    });
    // A stopped run wrote no results (the JSON reporter writes at the end): one failure.
    if (status === "timeout") totals.failed++;
    else try {
      const { stats } = JSON.parse(readFileSync(jsonFile, "utf8"));
      totals.passed += stats.expected + stats.flaky;
      totals.failed += stats.unexpected;
      totals.skipped += stats.skipped;
    } catch {
      console.error("Playwright produced no results");
      totals.failed++;
    }
  }
}

console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
