// Out and in (issue 12): export of the automerge-paper trace's document and import of 1 MB of
// Markdown through the real HTTP API of the real app (server/main.ts with the Next build, as
// the e2e tests run it), while a second client keeps typing over a WebSocket. The server's
// longest stall is seen from outside as the typing latency: one client inserts a stamped
// character every TYPING_INTERVAL_MS, another on the same document receives it; a server that
// blocks delays every keystroke in flight. Also measured, for comparison: the same conversions
// run in one thread, which is what the server's event loop did before the conversion workers.
//
//   NEXT_DIST_DIR=.next-x npx next build && NEXT_DIST_DIR=.next-x DATABASE_URL=postgresql://… npm run bench:exchange
import * as Y from "yjs";
import pg from "pg";
import { startAppServer, type AppServer } from "../e2e/fixtures/appServer.ts";
import { databaseCpuMsBetween, processCpu, type DatabaseCpuReading } from "./lib/databaseCpu.ts";
import { connectClient, synced, waitFor } from "../server/testing/yClients.ts";
import { largeMarkdown } from "../server/testing/largeMarkdown.ts";
import { runConversion, type ImportResult } from "../server/documents/conversion/conversionTasks.ts";
import { paperDocumentState } from "./lib/trace.ts";
import { writeResultsSection } from "./lib/resultsSection.ts";
import os from "node:os";

const TYPING_INTERVAL_MS = 20;
const RUNS = 5;
const IMPORT_BYTES = 1_000_000;

/** Typing latency as the server's responsiveness: stamps sent by one client, received by another. */
class TypingProbe {
  private sent = new Map<number, number>();
  private latencies: { at: number; ms: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;

  constructor(
    private readonly writer: Y.Doc,
    reader: Y.Doc,
  ) {
    reader.getMap<number>("typing").observe((event) => {
      const now = performance.now();
      for (const key of event.keysChanged) {
        const sentAt = this.sent.get(Number(key));
        if (sentAt !== undefined) this.latencies.push({ at: sentAt, ms: now - sentAt });
      }
    });
  }

  start(): void {
    this.timer = setInterval(() => {
      const seq = ++this.seq;
      this.sent.set(seq, performance.now());
      this.writer.getMap<number>("typing").set(String(seq), seq);
    }, TYPING_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The longest latency of keystrokes sent in [from, to] (and keystrokes not yet received count from their send). */
  longestIn(from: number, to: number): number {
    let longest = 0;
    for (const { at, ms } of this.latencies) if (at >= from - 1_000 && at <= to) longest = Math.max(longest, ms);
    return longest;
  }
}

/**
 * CPU ticks so far of the app server (all its threads: the conversion workers too) and of the
 * PostgreSQL processes serving its database, by pid: what an operation costs whatever else the
 * machine runs (wall time on a loaded machine is mostly waiting for a core).
 */
async function readAppCpu(app: AppServer, database: pg.Client | null): Promise<DatabaseCpuReading> {
  const reading: DatabaseCpuReading = new Map();
  const pids = [app.pid()];
  if (database) {
    const { rows } = await database.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    pids.push(...rows.map((row) => row.pid));
  }
  for (const pid of pids) {
    const cpu = pid === null ? null : processCpu(pid);
    if (cpu) reading.set(String(pid), cpu.ticks);
  }
  return reading;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0];
  const app = await startAppServer();
  const base = app.baseUrl;
  const database = app.databaseUrl ? new pg.Client({ connectionString: app.databaseUrl }) : null;
  await database?.connect();
  const origin = { origin: base };
  try {
    const email = `bench-${process.pid}@example.test`;
    const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", ...origin },
      body: JSON.stringify({ name: "Bench", email, password: "correct horse battery" }),
    });
    const cookie = (signUp.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
    if (!signUp.ok || !cookie) throw new Error(`sign-up failed: ${signUp.status}`);
    const headers = { cookie, ...origin };
    const api = async (pathname: string, init: RequestInit = {}) => fetch(`${base}${pathname}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
    const newDocument = async () => ((await (await api("/api/documents", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { id: string }).id;
    const linkFor = async (id: string) => {
      const created = (await (await api(`/api/documents/${id}/links`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ role: "editor" }) })).json()) as { url: string };
      return new URL(created.url).searchParams.get("token")!;
    };
    const wsBase = `${base.replace("http", "ws")}/collab`;

    // The typing pair, on a document of their own.
    const typingId = await newDocument();
    const typingToken = await linkFor(typingId);
    const writer = connectClient(wsBase, typingId, new Y.Doc(), { token: typingToken });
    const reader = connectClient(wsBase, typingId, new Y.Doc(), { token: typingToken });
    await Promise.all([synced(writer), synced(reader)]);
    const probe = new TypingProbe(writer.doc, reader.doc);
    probe.start();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idleFrom = performance.now() - 1_000;
    const baseline = probe.longestIn(idleFrom, performance.now());

    // The paper document, uploaded once by a client (as an editor would have written it).
    const paper = paperDocumentState();
    const paperId = await newDocument();
    const uploader = connectClient(wsBase, paperId, new Y.Doc(), { token: await linkFor(paperId) });
    await synced(uploader);
    Y.applyUpdate(uploader.doc, paper);
    await waitFor(async () => (await (await api(`/api/documents/${paperId}/content?format=json`)).text()).length > 100_000, "the paper document is stored", 30_000);
    uploader.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const exports: { format: string; ms: number[]; stall: number[]; cpu: number[]; bytes: number }[] = [];
    for (const format of ["markdown", "html", "json"]) {
      const row = { format, ms: [] as number[], stall: [] as number[], cpu: [] as number[], bytes: 0 };
      for (let run = 0; run < RUNS; run++) {
        const cpuFrom = await readAppCpu(app, database);
        const from = performance.now();
        const response = await api(`/api/documents/${paperId}/content?format=${format}`);
        row.bytes = (await response.text()).length;
        const to = performance.now();
        row.cpu.push(databaseCpuMsBetween(cpuFrom, await readAppCpu(app, database)));
        if (!response.ok) throw new Error(`export ${format}: ${response.status}`);
        row.ms.push(to - from);
        await new Promise((resolve) => setTimeout(resolve, 300)); // keystrokes sent during it arrive
        row.stall.push(probe.longestIn(from, to));
      }
      exports.push(row);
    }

    const markdown = largeMarkdown(IMPORT_BYTES);
    const imports = { ms: [] as number[], stall: [] as number[], cpu: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      const cpuFrom = await readAppCpu(app, database);
      const from = performance.now();
      const response = await api("/api/documents", { method: "POST", headers: { "content-type": "text/markdown" }, body: markdown });
      const to = performance.now();
      imports.cpu.push(databaseCpuMsBetween(cpuFrom, await readAppCpu(app, database)));
      if (response.status !== 201) throw new Error(`import: ${response.status} ${await response.text()}`);
      imports.ms.push(to - from);
      await new Promise((resolve) => setTimeout(resolve, 300));
      imports.stall.push(probe.longestIn(from, to));
    }
    probe.stop();
    writer.destroy();
    reader.destroy();

    // Before: the same work on one thread, as the server's event loop did it (the stall was all of it).
    const inThread = { import: [] as number[], exportMarkdown: [] as number[], importCpu: [] as number[], exportMarkdownCpu: [] as number[] };
    const body = new TextEncoder().encode(markdown);
    const cpuMs = (from: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(from);
      return (used.user + used.system) / 1000;
    };
    for (let run = 0; run < 3; run++) {
      let cpuFrom = process.cpuUsage();
      let from = performance.now();
      const imported = runConversion({ kind: "import", format: "markdown", body, state: null }) as ImportResult;
      const applied = new Y.Doc();
      Y.applyUpdate(applied, imported.wholeState!);
      inThread.import.push(performance.now() - from);
      inThread.importCpu.push(cpuMs(cpuFrom));
      cpuFrom = process.cpuUsage();
      from = performance.now();
      const copy = new Y.Doc();
      Y.applyUpdate(copy, paper);
      runConversion({ kind: "export", format: "markdown", state: paper });
      inThread.exportMarkdown.push(performance.now() - from);
      inThread.exportMarkdownCpu.push(cpuMs(cpuFrom));
    }

    const fmt = (values: number[]) => `${median(values).toFixed(0)} (max ${Math.max(...values).toFixed(0)})`;
    // /proc counts in 10 ms ticks; unreadable (no /proc) reads as 0.
    const cpuCell = (values: number[]) => (values.every((value) => value === 0) ? "n/a" : fmt(values));
    const lines = [
      `Paper document: ${paper.length.toLocaleString("en")} bytes of Yjs state; import: ${markdown.length.toLocaleString("en")} bytes of Markdown. ${RUNS} runs each; median (max) ms. Typing: one keystroke every ${TYPING_INTERVAL_MS} ms, latency writer → server → reader; idle baseline ${baseline.toFixed(0)} ms.`,
      "",
      "| operation | time (ms) | CPU (ms): server and database | longest typing latency during it (ms) |",
      "| --- | --- | --- | --- |",
      ...exports.map((row) => `| export ${row.format} (${row.bytes.toLocaleString("en")} chars) | ${fmt(row.ms)} | ${cpuCell(row.cpu)} | ${fmt(row.stall)} |`),
      `| import 1 MB Markdown (POST) | ${fmt(imports.ms)} | ${cpuCell(imports.cpu)} | ${fmt(imports.stall)} |`,
      `| before: the import on one thread (parse, diff, apply) | ${fmt(inThread.import)} | ${fmt(inThread.importCpu)} (this process) | all of it |`,
      `| before: the Markdown export on one thread (build, convert) | ${fmt(inThread.exportMarkdown)} | ${fmt(inThread.exportMarkdownCpu)} (this process) | all of it |`,
    ];
    const section = [
      "## Out and in: export and import while someone types (issue 12)",
      "",
      `Generated by \`NEXT_DIST_DIR=.next-x npx next build && NEXT_DIST_DIR=.next-x DATABASE_URL=postgresql://… npm run bench:exchange\` on ${new Date().toISOString()} (the real app, PostgreSQL; ${os.cpus().length} cores, 1-minute load average ${loadBefore.toFixed(1)} before the run and ${os.loadavg()[0].toFixed(1)} after: other work shares the machine, and the idle baseline shows how much; the CPU column is what each operation cost the server process, all its threads, and the database's processes, whatever else ran).`,
      "Goals: export of the 311 KB paper-trace document ≤ 200 ms, import of 1 MB of Markdown ≤ 1 s, neither blocking the event loop for more than 50 ms (the typing latency during it, minus the idle baseline).",
      "",
      ...lines,
    ].join("\n");
    console.log(section);
    writeResultsSection("exchange", section);
  } finally {
    await database?.end();
    await app.stop();
  }
  process.exit(0);
}

await main();
