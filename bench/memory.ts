// Memory at rest (issue 17 part 1b): the resident set size of the real app (server/main.ts with
// the Next build, as `npm start` runs it) right after start-up, and again after one page has
// been served, on the embedded PGlite database (a first start, which creates it, and a restart)
// and on PostgreSQL. RSS is read from /proc/<pid>/status after the process has settled.
//
//   NEXT_DIST_DIR=.next-x npx next build && NEXT_DIST_DIR=.next-x DATABASE_URL=postgresql://… npm run bench:memory
import { readFileSync } from "node:fs";
import { startAppServer, type AppServer } from "../e2e/fixtures/appServer.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../server/testing/testDatabase.ts";
import { writeResultsSection } from "./lib/resultsSection.ts";

const SETTLE_MS = 8_000;
const GOALS_MB: Record<string, number> = { pglite: 300, postgres: 200 };

function rssMb(server: AppServer): number {
  const status = readFileSync(`/proc/${server.pid()}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

interface Reading {
  label: string;
  kind: string;
  afterStart: number;
  afterPage: number;
}

async function measure(server: AppServer, label: string, kind: string): Promise<Reading> {
  await settle();
  const afterStart = rssMb(server);
  const page = await fetch(`${server.baseUrl}/sign-in`);
  if (!page.ok) throw new Error(`/sign-in answered ${page.status}`);
  await page.text();
  await settle();
  return { label, kind, afterStart, afterPage: rssMb(server) };
}

const readings: Reading[] = [];
for (const kind of databaseKinds) {
  const database = (await createTestDatabase(kind)) as TestDatabase;
  const server = await startAppServer({ database });
  try {
    readings.push(await measure(server, kind === "pglite" ? "PGlite, first start (creates the database)" : "PostgreSQL", kind));
    if (kind === "pglite") {
      await server.restart();
      readings.push(await measure(server, "PGlite, restart", kind));
    }
  } finally {
    await server.stop();
    await database.drop();
  }
}

const mb = (value: number) => `${Math.round(value)} MB`;
const lines = [
  "## Memory at rest",
  "",
  `\`npm run bench:memory\`, ${new Date().toISOString().slice(0, 10)}: RSS of the app process (\`server/main.ts\` with the Next build, NODE_ENV=production) ${SETTLE_MS / 1000} s after it is ready, and ${SETTLE_MS / 1000} s after serving one page (/sign-in). Goals (issue 17): ≤ ${GOALS_MB.pglite} MB on PGlite, ≤ ${GOALS_MB.postgres} MB on PostgreSQL.`,
  "",
  "| database | after start | after one page | goal |",
  "|---|---|---|---|",
  ...readings.map((r) => `| ${r.label} | ${mb(r.afterStart)} | ${mb(r.afterPage)} | ${mb(GOALS_MB[r.kind])}: ${Math.max(r.afterStart, r.afterPage) <= GOALS_MB[r.kind] ? "met" : "not met"} |`),
];
const markdown = lines.join("\n");
console.log(markdown);
if (process.env.WRITE_RESULTS !== "0") writeResultsSection("memory", markdown);
process.exit(0);
