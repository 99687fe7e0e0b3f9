// Is permessage-deflate worth it? (issue 17 part 4). Measures, for compression off / on with
// ws's defaults / on only for large messages: the join of the 311 KB paper document and of a
// ~2 MB document (bytes on the wire, server CPU per join, join time over an emulated 20 Mbit/s
// and 2 Mbit/s link), and steady typing (bytes and server CPU per relayed keystroke update).
// The server is bench/servers/compression.ts (a child process: the join messages our server
// sends, compressed or not by ws); clients are real ws clients that offer permessage-deflate as
// browsers do; the link is bench/lib/throttledLink.ts. Results: bench/RESULTS.md, section
// "compression".
//
//   npm run bench:compression
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import { startChild } from "./lib/child.ts";
import { median, percentile } from "./lib/stats.ts";
import { ThrottledLink } from "./lib/throttledLink.ts";
import { applyTxn, paperDocumentState, readTrace } from "./lib/trace.ts";
import { writeResultsSection } from "./lib/resultsSection.ts";
import { EDITOR_FRAGMENT_NAME } from "../lib/editor/extensions.ts";

const MODES = ["off", "on", "large"] as const;
const CPU_JOINS = Number(process.env.CPU_JOINS ?? 20);
const TIMED_JOINS = Number(process.env.TIMED_JOINS ?? 5);
const TYPED_UPDATES = Number(process.env.TYPED_UPDATES ?? 2_000);
const LINKS = [20e6, 2e6];
const LARGE_PARAGRAPHS = 7;
/** "large" mode deflates messages from this size: join frames, never keystrokes. */
const LARGE_THRESHOLD = 16 * 1024;

interface Document {
  label: string;
  name: string;
  stateFile: string;
  stateBytes: number;
}

function documents(): Document[] {
  return [
    { label: "paper (311 KB)", name: "paper", state: paperDocumentState(1) },
    { label: `large (${LARGE_PARAGRAPHS} × paper)`, name: "large", state: paperDocumentState(LARGE_PARAGRAPHS) },
  ].map(({ label, name, state }) => {
    const stateFile = path.join(tmpdir(), `collab-bench-compression-${name}.bin`);
    writeFileSync(stateFile, state);
    return { label, name, stateFile, stateBytes: state.byteLength };
  });
}

/** The first keystroke updates of the paper trace, typed into a paragraph, as sync messages. */
function typingMessages(count: number): Uint8Array[] {
  const trace = readTrace();
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement("paragraph");
  doc.getXmlFragment(EDITOR_FRAGMENT_NAME).push([paragraph]);
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  const messages: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => {
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, 0);
    encoding.writeVarUint(message, 2);
    encoding.writeVarUint8Array(message, update);
    messages.push(encoding.toUint8Array(message));
  });
  for (const txn of trace.txns) {
    if (messages.length >= count) break;
    applyTxn(doc, text, txn);
  }
  return messages;
}

/** Browsers offer permessage-deflate and, once it is agreed, deflate every message they send,
 *  however small (threshold 0 makes ws do the same). */
const BROWSER_LIKE = { perMessageDeflate: { threshold: 0 } };

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, BROWSER_LIKE);
    socket.binaryType = "nodebuffer";
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Connects and resolves with the wall time until the full state (sync step 2) has arrived. */
function join(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, BROWSER_LIKE);
    socket.on("message", (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) {
        const ms = performance.now() - started;
        socket.close();
        socket.once("close", () => resolve(ms));
      }
    });
    socket.once("error", reject);
  });
}

interface ModeResult {
  mode: string;
  joins: Record<string, { bytesDown: number; serverCpuMs: number; timeMs: Record<number, number> }>;
  typing: { bytesPerUpdate: number; serverCpuMsPer1000: number; relayP50Ms: number; relayP99Ms: number };
}

async function measureMode(mode: string, docs: Document[], typing: Uint8Array[]): Promise<ModeResult> {
  const server = await startChild("servers/compression.ts", { COMPRESSION: mode, COMPRESSION_THRESHOLD: String(LARGE_THRESHOLD) });
  const link = await ThrottledLink.start(server.ready.port);
  const url = (name: string) => `ws://127.0.0.1:${link.port}/${name}`;
  const cpu = async () => (await server.request("stats")).cpuMs as number;
  const result: ModeResult = { mode, joins: {}, typing: { bytesPerUpdate: 0, serverCpuMsPer1000: 0, relayP50Ms: 0, relayP99Ms: 0 } };
  try {
    for (const doc of docs) {
      await server.request("load", { name: doc.name, stateFile: doc.stateFile });
      link.bitsPerSecond = Infinity;
      for (let i = 0; i < 2; i++) await join(url(doc.name));
      link.resetCounts();
      const cpuBefore = await cpu();
      for (let i = 0; i < CPU_JOINS; i++) await join(url(doc.name));
      const serverCpuMs = ((await cpu()) - cpuBefore) / CPU_JOINS;
      const bytesDown = link.bytes.down / CPU_JOINS;
      const timeMs: Record<number, number> = {};
      for (const bits of LINKS) {
        link.bitsPerSecond = bits;
        const times: number[] = [];
        for (let i = 0; i < TIMED_JOINS; i++) times.push(await join(url(doc.name)));
        timeMs[bits] = median(times);
      }
      result.joins[doc.name] = { bytesDown, serverCpuMs, timeMs };
    }

    // Steady typing: one writer, one reader, each update sent when the previous one arrived.
    link.bitsPerSecond = Infinity;
    const writer = await open(url("typing"));
    const reader = await open(url("typing"));
    let arrived: (() => void) | null = null;
    reader.on("message", () => arrived?.());
    link.resetCounts();
    const cpuBefore = await cpu();
    const latencies: number[] = [];
    for (const message of typing) {
      const sent = performance.now();
      await new Promise<void>((resolve) => {
        arrived = resolve;
        writer.send(message);
      });
      latencies.push(performance.now() - sent);
    }
    const cpuMs = (await cpu()) - cpuBefore;
    latencies.sort((a, b) => a - b);
    result.typing = {
      bytesPerUpdate: (link.bytes.up + link.bytes.down) / typing.length,
      serverCpuMsPer1000: (cpuMs / typing.length) * 1000,
      relayP50Ms: percentile(latencies, 50),
      relayP99Ms: percentile(latencies, 99),
    };
    writer.close();
    reader.close();
  } finally {
    await link.close();
    await server.kill();
  }
  return result;
}

const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString("en-US")} KiB`;
const ms = (value: number) => (value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1));
const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;

const docs = documents();
const typing = typingMessages(TYPED_UPDATES);
const results: ModeResult[] = [];
for (const mode of MODES) {
  console.log(`[compression] ${mode}…`);
  results.push(await measureMode(mode, docs, typing));
}
const off = results[0];

const lines = [
  "## Compression (permessage-deflate), measured",
  "",
  `\`npm run bench:compression\`, ${new Date().toISOString().slice(0, 10)}. Modes: **off** (as the server runs), **on** (ws's defaults: context takeover, under which ws deflates every message, keystrokes too), **large** (only messages ≥ ${LARGE_THRESHOLD / 1024} KiB, i.e. join frames, no context takeover). ` +
    `Server: ws sending the join our server sends (sync step 1 + sync step 2 with the full state) in a child process; clients offer permessage-deflate and deflate every message they send once it is agreed, as browsers do; the link is a local TCP proxy limited to the given rate (no added latency). ` +
    `Bytes: TCP payload from server to client per join (upgrade response, frame headers, payload). Server CPU: the server process's user+system time per join (${CPU_JOINS} joins) and per 1,000 relayed keystroke updates (${TYPED_UPDATES.toLocaleString("en-US")} paper-trace updates, writer → server → reader, each sent when the previous arrived).`,
  "",
  "| join | mode | bytes on the wire | vs off | server CPU per join | join at 20 Mbit/s | join at 2 Mbit/s |",
  "|---|---|---|---|---|---|---|",
];
for (const doc of docs) {
  for (const result of results) {
    const join = result.joins[doc.name];
    const base = off.joins[doc.name];
    lines.push(
      `| ${doc.label}, state ${kb(doc.stateBytes)} | ${result.mode} | ${kb(join.bytesDown)} | ${ratio(join.bytesDown, base.bytesDown)} | ${ms(join.serverCpuMs)} ms | ${ms(join.timeMs[20e6])} ms | ${ms(join.timeMs[2e6])} ms |`,
    );
  }
}
lines.push("", "| steady typing | bytes per update (both ways) | server CPU per 1,000 updates | relay p50 / p99 (no link limit) |", "|---|---|---|---|");
for (const result of results) {
  lines.push(`| ${result.mode} | ${result.typing.bytesPerUpdate.toFixed(1)} | ${ms(result.typing.serverCpuMsPer1000)} ms (${ratio(result.typing.serverCpuMsPer1000, off.typing.serverCpuMsPer1000)}) | ${ms(result.typing.relayP50Ms)} / ${ms(result.typing.relayP99Ms)} ms |`);
}
lines.push(
  "",
  "Decision (README, *Compression*): permessage-deflate stays off on the collab socket. It would cut a join's bytes to a third, but once it is agreed browsers deflate every message they send, keystrokes included, and the server inflates each: the \"large\" row's server CPU per relayed keystroke is the price on the hottest path, for a few bytes saved per update. Large joins on slow links are better served by an HTTP response compressed once per stored state (gzip, cached), which touches no socket.",
);
const markdown = lines.join("\n");
console.log(markdown);
if (process.env.WRITE_RESULTS !== "0") writeResultsSection("compression", markdown);
process.exit(0);
