// Search benchmark (issue 12): 10,000 documents of realistic size, their text cut from the
// editing traces (testdata/traces, CC BY 4.0), on PostgreSQL and on PGlite; the latency
// of searchDocuments() (what GET /api/documents?q= runs after authentication: the account's
// visibility, the ranked match over the GIN index, snippets for one page) over varied queries,
// for an account that sees everything (admin) and for a member who sees a quarter of it; beside
// each query, the way search ranked before (every match), on the same data under the same load.
// Goal: p95 ≤ 50 ms. `npm run bench:search`; writes its section of bench/RESULTS.md.
// Options: --documents=N (default 10000), --queries=N (default 200), --engines=postgres,pglite,
// --keep (leave the database in place and print its URL or PGlite directory, to EXPLAIN a query).
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { openDatabase } from "../server/db/openDatabase.ts";
import { closeDatabase, setDatabase } from "../server/db/getDatabase.ts";
import type { Database } from "../server/db/Database.ts";
import { pageWithSnippetsSql, SEARCH_CANDIDATES, SEARCH_PAGE_SIZE, searchDocuments } from "../server/documents/searchDocuments.ts";
import { SqlParams, visibleDocumentsSql } from "../server/documents/documentRepository.ts";
import { toSearchTsquery } from "../server/documents/searchQuery.ts";
import { createTestDatabase, type DatabaseKind } from "../server/testing/testDatabase.ts";
import { seededRandom } from "../lib/sync/reconnectBackoff.ts";
import { TRACES_DIR } from "./lib/trace.ts";
import { writeResultsSection } from "./lib/resultsSection.ts";
import { processCpu, ticksToMs } from "./lib/databaseCpu.ts";
import { fmt, percentile } from "./lib/stats.ts";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const DOCUMENTS = Number(arg("documents") ?? 10_000);
const QUERIES = Number(arg("queries") ?? 200);
const ENGINES = (arg("engines") ?? "postgres,pglite").split(",") as DatabaseKind[];
const KEEP = process.argv.includes("--keep");
const SEED = 20261130;
/** Document sizes, log-uniform between these (characters): notes to long specs; median ~3 KB. */
const MIN_CHARS = 500;
const MAX_CHARS = 20_000;
const WARMUP_QUERIES = 20;
const GOAL_P95_MS = 50;
const INSERT_BATCH = 250;
/** The member owns every OWNED_EVERY-th document and is a member of every MEMBER_EVERY-th. */
const OWNED_EVERY = 5;
const MEMBER_EVERY = 10;

if (!process.env.DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
process.env.LOG_LEVEL ??= "silent";

const random = seededRandom(SEED);
const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];

/** The final text of every trace: ~200 KB of English prose, Markdown, LaTeX and chat. */
function traceTexts(): string[] {
  return readdirSync(TRACES_DIR)
    .filter((name) => name.endsWith(".json.gz"))
    .map((name) => (JSON.parse(gunzipSync(readFileSync(path.join(TRACES_DIR, name))).toString("utf8")) as { endContent: string }).endContent);
}

interface SeedDocument {
  id: string;
  title: string;
  content: string;
}

/** A slice of a trace starting and ending on word boundaries, its first words as the title. */
function makeDocuments(texts: string[], count: number): SeedDocument[] {
  return Array.from({ length: count }, (_, i) => {
    const text = pick(texts);
    const length = Math.round(Math.exp(Math.log(MIN_CHARS) + random() * (Math.log(MAX_CHARS) - Math.log(MIN_CHARS))));
    let start = Math.floor(random() * Math.max(1, text.length - length));
    start = Math.max(0, text.indexOf(" ", start) + 1);
    const content = text.slice(start, start + length).replace(/\S+$/, "").trim();
    const title = content.split(/\s+/).slice(0, 6).join(" ").slice(0, 80) || `Document ${i}`;
    return { id: `bench${i.toString(36).padStart(6, "0")}`, title, content };
  });
}

/** What people type: one word (half the time), two neighbouring words, or the start of a word
 *  (three letters or more), taken from a random place of a random document; words shorter than
 *  four letters are skipped, as nobody searches for "the". */
function makeQueries(documents: SeedDocument[], count: number): { text: string; kind: string }[] {
  const queries: { text: string; kind: string }[] = [];
  while (queries.length < count) {
    const words = pick(documents).content.match(/[\p{L}\p{N}]{4,}/gu) ?? [];
    if (words.length < 2) continue;
    const at = Math.floor(random() * (words.length - 1));
    const roll = random();
    if (roll < 0.5) queries.push({ text: words[at], kind: "word" });
    else if (roll < 0.8) queries.push({ text: `${words[at]} ${words[at + 1]}`, kind: "two words" });
    else queries.push({ text: words[at].slice(0, 3 + Math.floor(random() * 3)), kind: "prefix" });
  }
  return queries;
}

async function seed(database: Database, documents: SeedDocument[]): Promise<{ admin: string; member: string }> {
  const { prisma, sql } = database;
  const admin = await prisma.user.create({ data: { id: "bench-admin", name: "Ada Admin", email: "ada@bench.test", role: "admin" } });
  const member = await prisma.user.create({ data: { id: "bench-member", name: "Mo Member", email: "mo@bench.test" } });
  const started = performance.now();
  for (let i = 0; i < documents.length; i += INSERT_BATCH) {
    const batch = documents.slice(i, i + INSERT_BATCH);
    const owners = batch.map((_, j) => ((i + j) % OWNED_EVERY === 0 ? member.id : admin.id));
    await sql.query(
      `INSERT INTO documents (id, title, content_text, owner_id, updated_at)
       SELECT id, title, content, owner, now() - (random() * interval '90 days')
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, title, content, owner)`,
      [batch.map((d) => d.id), batch.map((d) => d.title), batch.map((d) => d.content), owners],
    );
  }
  const memberOf = documents.filter((_, i) => i % MEMBER_EVERY === 1).map((d) => d.id);
  await sql.query(
    `INSERT INTO document_members (document_id, user_id, role) SELECT id, $2, 'editor' FROM unnest($1::text[]) AS id`,
    [memberOf, member.id],
  );
  await sql.query("ANALYZE");
  console.log(`  seeded ${documents.length} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { admin: admin.id, member: member.id };
}

/**
 * CPU time used so far, in ms: by this process (the search code, and PGlite, which runs in it)
 * and by the PostgreSQL server processes serving this database (not the other databases of a
 * shared server), when they run on this machine (null otherwise). Wall time on a shared
 * machine is mostly waiting for a core; CPU time is what a query costs whatever else runs.
 */
class CpuClock {
  private constructor(private readonly backends: number[] | null) {}

  static async start(database: Database): Promise<CpuClock> {
    if (database.kind !== "postgres") return new CpuClock([]);
    const rows = await database.sql.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
    const pids = rows.map((row) => row.pid);
    return new CpuClock(pids.every((pid) => processCpu(pid)?.command === "postgres") ? pids : null);
  }

  /** Null when the database's processes cannot be seen from here. */
  now(): number | null {
    if (this.backends === null) return null;
    const own = process.cpuUsage();
    const ticks = this.backends.reduce((sum, pid) => sum + (processCpu(pid)?.ticks ?? 0), 0);
    return (own.user + own.system) / 1000 + ticksToMs(ticks);
  }
}

interface Measured {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  byKind: Record<string, number>;
  /** Mean CPU time per query (ms), client and database; null when the database's is not visible. */
  cpu: number | null;
}

/** The same page the way search worked before SEARCH_CANDIDATES (migration
 *  20261130193636_document_search_candidates): every visible match ranked, in one statement
 *  planned as the planner likes, then the same snippets. Timed beside searchDocuments() on the
 *  same data, query after query, so load affects both alike. */
async function rankEveryMatch(database: Database, userId: string, query: string): Promise<void> {
  const params = new SqlParams();
  const visible = await visibleDocumentsSql(database.prisma, params, userId);
  const q = `to_tsquery('simple', ${params.add(toSearchTsquery(query))})`;
  await database.sql.query(
    `WITH hits AS (
       SELECT d.id, ts_rank(d.search_rank_vector, ${q}) AS rank FROM documents d
       WHERE d.search_vector @@ ${q} AND ${visible} ORDER BY rank DESC, d.id LIMIT ${SEARCH_PAGE_SIZE + 1}
     ) ${pageWithSnippetsSql(params, query, q)}`,
    params.values,
  );
}

function summarise(times: number[], kinds: string[], cpu: number | null): Measured {
  const byKindTimes = new Map<string, number[]>();
  times.forEach((time, i) => byKindTimes.set(kinds[i], [...(byKindTimes.get(kinds[i]) ?? []), time]));
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1)!,
    byKind: Object.fromEntries([...byKindTimes].map(([kind, values]) => [kind, percentile(values.sort((a, b) => a - b), 95)])),
    cpu: cpu === null ? null : cpu / times.length,
  };
}

async function measure(
  database: Database,
  userId: string,
  queries: { text: string; kind: string }[],
): Promise<{ search: Measured; everyMatch: Measured; capped: number }> {
  for (const query of queries.slice(0, WARMUP_QUERIES)) {
    await searchDocuments(userId, query.text);
    await rankEveryMatch(database, userId, query.text);
  }
  const search: number[] = [];
  const everyMatch: number[] = [];
  const clock = await CpuClock.start(database);
  let searchCpu: number | null = 0;
  let everyMatchCpu: number | null = 0;
  const spent = (from: number | null, total: number | null) => {
    const to = clock.now();
    return total === null || from === null || to === null ? null : total + (to - from);
  };
  let capped = 0;
  for (const query of queries) {
    let cpuFrom = clock.now();
    let started = performance.now();
    const result = await searchDocuments(userId, query.text);
    search.push(performance.now() - started);
    searchCpu = spent(cpuFrom, searchCpu);
    if (!result.ok) throw new Error(`search "${query.text}" failed: ${result.message}`);
    if (result.value.capped) capped++;
    cpuFrom = clock.now();
    started = performance.now();
    await rankEveryMatch(database, userId, query.text);
    everyMatch.push(performance.now() - started);
    everyMatchCpu = spent(cpuFrom, everyMatchCpu);
  }
  const kinds = queries.map((query) => query.kind);
  return { search: summarise(search, kinds, searchCpu), everyMatch: summarise(everyMatch, kinds, everyMatchCpu), capped };
}

/** How many documents each query matches, over everything (the work ranking has to do). */
async function matchCounts(database: Database, queries: { text: string }[]): Promise<{ median: number; p95: number }> {
  const counts: number[] = [];
  for (const query of queries) {
    const [row] = await database.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM documents WHERE search_vector @@ to_tsquery('simple', $1)",
      [toSearchTsquery(query.text)],
    );
    counts.push(Number(row.n));
  }
  counts.sort((a, b) => a - b);
  return { median: percentile(counts, 50), p95: percentile(counts, 95) };
}

async function main(): Promise<void> {
  const documents = makeDocuments(traceTexts(), DOCUMENTS);
  const queries = makeQueries(documents, QUERIES);
  const averageChars = documents.reduce((sum, d) => sum + d.content.length, 0) / documents.length;
  console.log(`${documents.length} documents, average ${Math.round(averageChars)} characters; ${queries.length} queries`);
  const rows: string[] = [];
  const referenceRows: string[] = [];
  const loadBefore = os.loadavg()[0];
  let matches: { median: number; p95: number } | null = null;
  for (const kind of ENGINES) {
    console.log(`${kind}:`);
    const testDatabase = (await createTestDatabase(kind))!;
    const database = await openDatabase(testDatabase.options);
    setDatabase(database);
    try {
      const users = await seed(database, documents);
      matches ??= await matchCounts(database, queries);
      for (const [persona, userId] of [["admin (sees all)", users.admin], ["member (sees 30%)", users.member]] as const) {
        const { search, everyMatch, capped } = await measure(database, userId, queries);
        const engine = kind === "postgres" ? "PostgreSQL" : "PGlite";
        const line = (m: Measured) => `p50 ${fmt(m.p50)} ms, p95 ${fmt(m.p95)} ms, p99 ${fmt(m.p99)} ms, max ${fmt(m.max)} ms, CPU ${fmt(m.cpu)} ms`;
        console.log(`  ${persona}: ${line(search)}; ${capped} queries capped; every match ranked: ${line(everyMatch)}`);
        const kinds = (m: Measured) => Object.entries(m.byKind).map(([k, v]) => `${k} ${fmt(v)}`).join(", ");
        const verdict = search.p95 <= GOAL_P95_MS ? "met" : "**missed**";
        const cpu = (m: Measured) => (m.cpu === null ? "n/a" : fmt(m.cpu));
        rows.push(`| ${engine} | ${persona} | ${fmt(search.p50)} | ${fmt(search.p95)} | ${fmt(search.p99)} | ${fmt(search.max)} | ${kinds(search)} | ${cpu(search)} | ${capped} of ${queries.length} | ${verdict} |`);
        referenceRows.push(`| ${engine} | ${persona} | ${fmt(everyMatch.p50)} | ${fmt(everyMatch.p95)} | ${fmt(everyMatch.p99)} | ${fmt(everyMatch.max)} | ${kinds(everyMatch)} | ${cpu(everyMatch)} | ${fmt(everyMatch.p95 / search.p95)}× |`);
      }
    } finally {
      await closeDatabase();
      if (KEEP) console.log(`  kept ${testDatabase.options.databaseUrl ?? testDatabase.options.dataDir}`);
      else await testDatabase.drop();
    }
  }
  const cpu = os.cpus()[0]?.model ?? "unknown";
  writeResultsSection(
    "search",
    [
      "## Search (issue 12)",
      "",
      `Generated by \`npm run bench:search\` on ${new Date().toISOString()} (${os.cpus().length} cores, ${cpu}, Node ${process.version}; ` +
        `1-minute load average ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end: other work on the machine inflates every figure, ` +
        "which is why the two ways below are timed query after query in the same run).",
      "",
      `${documents.length.toLocaleString("en-US")} documents cut from the editing traces (CC BY 4.0), ${MIN_CHARS.toLocaleString("en-US")}–${MAX_CHARS.toLocaleString("en-US")} characters each (log-uniform, average ${Math.round(averageChars).toLocaleString("en-US")}); ` +
        `${queries.length} queries typed as people do (a word, two neighbouring words, or the start of a word), each matching a median of ${matches?.median} documents (p95 ${matches?.p95}): ` +
        "the traces are only ~200 KB of text, so every word recurs in far more documents than in a real workspace, which makes ranking costlier than it would be there. " +
        `Timed: \`searchDocuments()\`, what \`GET /api/documents?q=\` runs after authentication (visibility, ranked match, one page of ${SEARCH_PAGE_SIZE} with snippets), after ${WARMUP_QUERIES} warm-up queries. ` +
        "CPU: the mean CPU time of a query, this process (the search code; PGlite runs in it) plus PostgreSQL's server processes (from /proc), unaffected by waiting for a core. " +
        `It ranks at most ${SEARCH_CANDIDATES.toLocaleString("en-US")} candidates from each of two indexes (title and opening lines; whole text); "capped": queries that matched more, ranked among those. Goal: p95 ≤ ${GOAL_P95_MS} ms.`,
      "",
      "| engine | account | p50 ms | p95 ms | p99 ms | max ms | p95 by kind of query (ms) | CPU ms per query (mean) | capped | goal |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...rows,
      "",
      "The way before (every visible match ranked, in one statement planned as PostgreSQL likes, then the same snippets), timed beside each query above on the same data and schema " +
        "(so it already has this change's smaller rank vector kept in the row):",
      "",
      "| engine | account | p50 ms | p95 ms | p99 ms | max ms | p95 by kind of query (ms) | CPU ms per query (mean) | p95 ÷ search's |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...referenceRows,
      "",
      "Where the time went (`EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL): the GIN index yields the matches of a common word in 1–2 ms, but the planner, " +
        "which counts `search_vector @@ query` as free, read every row instead (a sequential scan, or the trashed_at index for `trashed_at IS NULL`) and " +
        "evaluated the match on each, fetching and decompressing its ~6 KB vector from TOAST (100–250 ms); and ranking decompressed every match's ~1.5 KB " +
        "rank vector, mostly stored out of line (~12 µs a match). Now: sequential scans are off for the search statement (the GIN indexes are the only way " +
        "left: the trashed_at index holds only documents in Trash), at most the candidates above are ranked, the rank vector is the title and the first " +
        "400 characters (~750 bytes, kept in the row), and snippets are made for the page's rows only (~0.3 ms each).",
    ].join("\n"),
  );
  console.log("wrote the search section of bench/RESULTS.md");
}

await main();
