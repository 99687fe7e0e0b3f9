// Out and in (issue 12): export of the automerge-paper trace's document and import of 1 MB of
// Markdown through the real HTTP API of the real app (server/main.ts with the Next build, as
// the e2e tests run it), while a second client keeps typing over a WebSocket. The server's
// longest stall is seen from outside as the typing latency: one client inserts a stamped
// character every TYPING_INTERVAL_MS, another on the same document receives it; a server that
// blocks delays every keystroke in flight. Also measured, for comparison: the same conversions
// run in one thread, which is what the server's event loop did before the conversion workers.
//
//   NEXT_DIST_DIR=.next-x npx next build && NEXT_DIST_DIR=.next-x DATABASE_URL=postgresql://… npm run bench:exchange
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as Y from "yjs";
import { startAppServer } from "../e2e/fixtures/appServer.ts";
import { connectClient, synced, waitFor } from "../server/testing/yClients.ts";
import { largeMarkdown } from "../server/testing/largeMarkdown.ts";
import { runConversion, type ImportResult } from "../server/documents/conversion/conversionTasks.ts";
import { EDITOR_FRAGMENT_NAME } from "../lib/editor/extensions.ts";
import { readTrace, TRACE_FILE } from "./lib/trace.ts";
import { writeResultsSection } from "./lib/resultsSection.ts";
import os from "node:os";

const TYPING_INTERVAL_MS = 20;
const RUNS = 5;
const IMPORT_BYTES = 1_000_000;

/** The trace replayed into one paragraph of the editor's fragment: the 311 KB document. */
function paperState(): Uint8Array {
  const cached = path.join(tmpdir(), `collab-bench-paper-fragment-${Math.round(Number(existsSync(TRACE_FILE)))}.bin`);
  if (existsSync(cached)) return new Uint8Array(readFileSync(cached));
  const trace = readTrace();
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement("paragraph");
  doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph]);
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const [position, deleteCount, insert] of txn.patches) {
        if (deleteCount > 0) text.delete(position, deleteCount);
        if (insert) text.insert(position, insert);
      }
    });
  }
  const state = Y.encodeStateAsUpdate(doc);
  writeFileSync(cached, state);
  return state;
}

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const app = await startAppServer();
  const base = app.baseUrl;
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
    const paper = paperState();
    const paperId = await newDocument();
    const uploader = connectClient(wsBase, paperId, new Y.Doc(), { token: await linkFor(paperId) });
    await synced(uploader);
    Y.applyUpdate(uploader.doc, paper);
    await waitFor(async () => (await (await api(`/api/documents/${paperId}/content?format=json`)).text()).length > 100_000, "the paper document is stored", 30_000);
    uploader.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const exports: { format: string; ms: number[]; stall: number[]; bytes: number }[] = [];
    for (const format of ["markdown", "html", "json"]) {
      const row = { format, ms: [] as number[], stall: [] as number[], bytes: 0 };
      for (let run = 0; run < RUNS; run++) {
        const from = performance.now();
        const response = await api(`/api/documents/${paperId}/content?format=${format}`);
        row.bytes = (await response.text()).length;
        const to = performance.now();
        if (!response.ok) throw new Error(`export ${format}: ${response.status}`);
        row.ms.push(to - from);
        await new Promise((resolve) => setTimeout(resolve, 300)); // keystrokes sent during it arrive
        row.stall.push(probe.longestIn(from, to));
      }
      exports.push(row);
    }

    const markdown = largeMarkdown(IMPORT_BYTES);
    const imports = { ms: [] as number[], stall: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      const from = performance.now();
      const response = await api("/api/documents", { method: "POST", headers: { "content-type": "text/markdown" }, body: markdown });
      const to = performance.now();
      if (response.status !== 201) throw new Error(`import: ${response.status} ${await response.text()}`);
      imports.ms.push(to - from);
      await new Promise((resolve) => setTimeout(resolve, 300));
      imports.stall.push(probe.longestIn(from, to));
    }
    probe.stop();
    writer.destroy();
    reader.destroy();

    // Before: the same work on one thread, as the server's event loop did it (the stall was all of it).
    const inThread = { import: [] as number[], exportMarkdown: [] as number[] };
    const body = new TextEncoder().encode(markdown);
    for (let run = 0; run < 3; run++) {
      let from = performance.now();
      const imported = runConversion({ kind: "import", format: "markdown", body, state: null }) as ImportResult;
      const applied = new Y.Doc();
      Y.applyUpdate(applied, imported.wholeState!);
      inThread.import.push(performance.now() - from);
      from = performance.now();
      const copy = new Y.Doc();
      Y.applyUpdate(copy, paper);
      runConversion({ kind: "export", format: "markdown", state: paper });
      inThread.exportMarkdown.push(performance.now() - from);
    }

    const fmt = (values: number[]) => `${median(values).toFixed(0)} (max ${Math.max(...values).toFixed(0)})`;
    const lines = [
      `Paper document: ${paper.length.toLocaleString("en")} bytes of Yjs state; import: ${markdown.length.toLocaleString("en")} bytes of Markdown. ${RUNS} runs each; median (max) ms. Typing: one keystroke every ${TYPING_INTERVAL_MS} ms, latency writer → server → reader; idle baseline ${baseline.toFixed(0)} ms.`,
      "",
      "| operation | time (ms) | longest typing latency during it (ms) |",
      "| --- | --- | --- |",
      ...exports.map((row) => `| export ${row.format} (${row.bytes.toLocaleString("en")} chars) | ${fmt(row.ms)} | ${fmt(row.stall)} |`),
      `| import 1 MB Markdown (POST) | ${fmt(imports.ms)} | ${fmt(imports.stall)} |`,
      `| before: the import on one thread (parse, diff, apply) | ${fmt(inThread.import)} | all of it |`,
      `| before: the Markdown export on one thread (build, convert) | ${fmt(inThread.exportMarkdown)} | all of it |`,
    ];
    const section = [
      "## Out and in: export and import while someone types (issue 12)",
      "",
      `Generated by \`NEXT_DIST_DIR=.next-x npx next build && NEXT_DIST_DIR=.next-x DATABASE_URL=postgresql://… npm run bench:exchange\` on ${new Date().toISOString()} (the real app, PostgreSQL; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} before the run: other work shares the machine, and the idle baseline shows how much).`,
      "Goals: export of the 311 KB paper-trace document ≤ 200 ms, import of 1 MB of Markdown ≤ 1 s, neither blocking the event loop for more than 50 ms (the typing latency during it, minus the idle baseline).",
      "",
      ...lines,
    ].join("\n");
    console.log(section);
    writeResultsSection("exchange", section);
  } finally {
    await app.stop();
  }
  process.exit(0);
}

await main();
