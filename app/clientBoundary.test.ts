// The browser bundle never reaches server code. Next's `import "server-only"` guard cannot be
// used here: server/main.ts runs the same server modules under plain Node (tsx), where that
// package throws by design (it is empty only under the bundler's react-server condition). So
// this test walks the import graph from every "use client" module instead and fails on any
// path into server/ (database clients, secrets, node built-ins) — the mistake the guard catches.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "..");
const SOURCE = /\.(ts|tsx)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return SOURCE.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

const isClientModule = (source: string) => /^\s*(?:\/\/[^\n]*\n\s*)*["']use client["']/.test(source);

/** Value imports (type-only imports are erased and never reach the bundle). */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const match of source.matchAll(pattern)) {
    if (match[2]) continue;
    found.push(match[3] ?? match[4]);
  }
  return found;
}

function resolve(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return null; // a package: resolved by the bundler, not ours to follow
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile() && SOURCE.test(candidate)) ?? null;
}

test("no client module imports server code, directly or through lib/", () => {
  const clients = [...sourceFiles(path.join(ROOT, "app")), ...sourceFiles(path.join(ROOT, "lib"))].filter((file) => isClientModule(readFileSync(file, "utf8")));
  assert.ok(clients.length > 20, `${clients.length} client modules found`);
  const reachedFrom = new Map<string, string | null>(clients.map((file) => [file, null]));
  const queue = [...clients];
  const problems: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      if (specifier.startsWith("node:")) problems.push(`${chain(reachedFrom, file)} imports ${specifier}`);
      const target = resolve(file, specifier);
      if (!target || reachedFrom.has(target)) continue;
      reachedFrom.set(target, file);
      if (path.relative(ROOT, target).startsWith(`server${path.sep}`)) problems.push(`${chain(reachedFrom, target)}`);
      else queue.push(target);
    }
  }
  assert.deepEqual(problems, [], "client code reaching server code");
});

function chain(reachedFrom: Map<string, string | null>, file: string): string {
  const steps: string[] = [];
  for (let at: string | null | undefined = file; at; at = reachedFrom.get(at)) steps.unshift(path.relative(ROOT, at));
  return steps.join(" → ");
}
