// bench/RESULTS.md holds the main run's table (rewritten whole by bench/run.ts) and sections
// that other benchmarks own (bench/search.ts, ...), each between two marker comments. A
// benchmark replaces only its own section; run.ts keeps the others when it rewrites the file.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BENCH_DIR } from "./child.ts";

const RESULTS_PATH = path.join(BENCH_DIR, "RESULTS.md");
const SECTION = /<!-- section:([a-z0-9-]+) -->[\s\S]*?<!-- \/section:\1 -->\n?/g;

function wrap(name: string, markdown: string): string {
  return `<!-- section:${name} -->\n${markdown.trimEnd()}\n<!-- /section:${name} -->\n`;
}

/** Replaces (or appends) the section `name` of bench/RESULTS.md. */
export function writeResultsSection(name: string, markdown: string): void {
  const existing = existsSync(RESULTS_PATH) ? readFileSync(RESULTS_PATH, "utf8") : "# Benchmark results\n";
  let replaced = false;
  const updated = existing.replace(SECTION, (whole, found: string) => {
    if (found !== name) return whole;
    replaced = true;
    return wrap(name, markdown);
  });
  writeFileSync(RESULTS_PATH, replaced ? updated : `${updated.trimEnd()}\n\n${wrap(name, markdown)}`);
}

/** The sections other benchmarks wrote into bench/RESULTS.md, to carry over when rewriting it. */
export function ownedSections(): string {
  if (!existsSync(RESULTS_PATH)) return "";
  return (readFileSync(RESULTS_PATH, "utf8").match(SECTION) ?? []).join("\n");
}
