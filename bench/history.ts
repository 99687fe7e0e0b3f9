// npm run bench:history — the version history (issue 14) on the automerge-paper trace: the
// trace is replayed into a paragraph of the editor content and a version is made every
// 1/1000th of it through the real VersionRecorder and VersionStore on PostgreSQL (1,000
// versions). Reports: how long making a version blocks the event loop (the synchronous encode;
// the database work is asynchronous), the versions' storage against the final document's size,
// and how long opening a version with its diff takes server side (VersionHistory.open through
// the conversion workers), with the event loop's longest stall meanwhile. Writes its section of
// bench/RESULTS.md.
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import * as Y from "yjs";
import { openDatabase } from "../server/db/openDatabase.ts";
import { createTestDatabase } from "../server/testing/testDatabase.ts";
import { newDocumentId } from "../lib/documentId.ts";
import { EDITOR_FRAGMENT_NAME } from "../lib/editor/extensions.ts";
import { VersionStore } from "../server/history/VersionStore.ts";
import { VersionRecorder } from "../server/history/VersionRecorder.ts";
import { VersionHistory } from "../server/history/versionHistory.ts";
import { ServerEdit } from "../server/collab/ServerEdit.ts";
import { Rooms } from "../server/collab/Rooms.ts";
import { SqlDocumentStorage } from "../server/collab/storage/SqlDocumentStorage.ts";
import { DEFAULT_LIMITS } from "../server/collab/limits.ts";
import { ConversionPool } from "../server/documents/conversion/ConversionPool.ts";
import type { Room } from "../server/collab/Room.ts";
import { log } from "../server/log.ts";
import { readTrace, type Patch } from "./lib/trace.ts";
import { writeResultsSection } from "./lib/resultsSection.ts";
import { fmt, percentile } from "./lib/stats.ts";

process.env.DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
process.env.LOG_LEVEL = "silent";

const VERSIONS = 1_000;
const OPEN_SAMPLES = 5;

const testDatabase = (await createTestDatabase("postgres"))!;
const database = await openDatabase(testDatabase.options);
const conversions = new ConversionPool({ log });
try {
  const documentId = newDocumentId();
  await database.prisma.document.create({ data: { id: documentId, title: "Paper" } });
  const store = new VersionStore(database.sql);
  const recorder = new VersionRecorder(store, log, { idleMs: 3_600_000, maxSpanMs: 3_600_000 });

  // The synchronous part of making a version (what blocks the event loop), per version.
  const blocks: { ms: number; keyframe: boolean }[] = [];
  const append = store.append.bind(store);
  store.append = (id, work) =>
    append(id, (tip) => {
      const started = performance.now();
      const version = work(tip);
      if (version) blocks.push({ ms: performance.now() - started, keyframe: version.keyframe });
      return version;
    });

  // The paper trace typed into one paragraph of the editor content, as one editor.
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement("paragraph");
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph]);
  // The recorder reads these of a room; the rest of Room (sockets, log) has no part in a version.
  const room = { documentId, isBuilt: true, doc, holders: 1, writer: { flush: async () => {} }, encodeState: () => Y.encodeStateAsUpdate(doc) } as unknown as Room;
  const editor = new ServerEdit("bench", null);
  recorder.loaded(room);
  doc.on("update", (_update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => recorder.changed(room, editor, transaction));

  const trace = readTrace();
  const every = Math.floor(trace.txns.length / VERSIONS);
  const replayStarted = performance.now();
  let made = 0;
  for (const [index, txn] of trace.txns.entries()) {
    doc.transact(() => {
      for (const [position, deleteCount, insert] of txn.patches as Patch[]) {
        if (deleteCount > 0) text.delete(position, deleteCount);
        if (insert) text.insert(position, insert);
      }
    }, editor);
    if ((index + 1) % every === 0 && made < VERSIONS) {
      await recorder.makeVersion(room, "auto", null);
      made++;
    }
  }
  const replaySeconds = (performance.now() - replayStarted) / 1000;
  if (text.toString() !== trace.endContent) throw new Error("the replay did not reach the trace's end content");
  const finalState = Y.encodeStateAsUpdate(doc);
  const stored = await store.storedBytes(documentId);
  const keyframes = blocks.filter((b) => b.keyframe).length;

  // Making a version of the whole finished document: a keyframe, and a delta after one edit.
  const fullBlocks: number[] = [];
  const deltaBlocks: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    Y.encodeStateAsUpdate(doc);
    fullBlocks.push(performance.now() - started);
    text.insert(0, "x");
    const before = blocks.length;
    await recorder.makeVersion(room, "named", `bench ${i}`);
    if (!blocks[before].keyframe) deltaBlocks.push(blocks[before].ms);
  }

  // Opening a version with its diff, server side: the live document is the stored one.
  const storage = new SqlDocumentStorage(database.sql);
  await storage.append(documentId, Y.encodeStateAsUpdate(doc));
  const rooms = new Rooms({ storage, log, limits: DEFAULT_LIMITS });
  const history = new VersionHistory(recorder, rooms, conversions);
  const listed = await history.list(documentId);
  const picks = [listed[5], listed[Math.floor(listed.length / 2)], listed[listed.length - 2]];
  await history.open(documentId, picks[0].id, "previous"); // warm the workers
  const openTimes: Record<string, number[]> = { previous: [], current: [] };
  const stall = monitorEventLoopDelay({ resolution: 5 });
  stall.enable();
  for (let i = 0; i < OPEN_SAMPLES; i++) {
    for (const pick of picks) {
      for (const compare of ["previous", "current"] as const) {
        const started = performance.now();
        await history.open(documentId, pick.id, compare);
        openTimes[compare].push(performance.now() - started);
      }
    }
  }
  stall.disable();

  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const deltas = sorted(blocks.filter((b) => !b.keyframe).map((b) => b.ms));
  openTimes.previous = sorted(openTimes.previous);
  openTimes.current = sorted(openTimes.current);
  const keyframeMs = blocks.filter((b) => b.keyframe).map((b) => b.ms);
  const ratio = stored.bytes / finalState.length;
  const lines = [
    "## Version history (npm run bench:history)",
    "",
    `${new Date().toISOString()}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}, PostgreSQL. **The machine was loaded by other helpers' work during this run**: the figures are upper bounds.`,
    "",
    `The automerge-paper trace (${trace.txns.length.toLocaleString("en")} transactions) typed into one paragraph of the editor content, a version made every ${every} transactions through VersionRecorder/VersionStore (${made} versions, ${keyframes} of them keyframes; replay and versioning took ${replaySeconds.toFixed(1)} s). Final document: ${(finalState.length / 1024).toFixed(0)} KB encoded.`,
    "",
    "| measure | goal | result |",
    "| --- | --- | --- |",
    `| event loop blocked making a version (delta), p50 / p99 / max over ${deltas.length} | ≤ 50 ms | ${fmt(percentile(deltas, 50))} / ${fmt(percentile(deltas, 99))} / ${fmt(Math.max(...deltas))} ms |`,
    `| event loop blocked making a version (keyframe), max over ${keyframeMs.length} | ≤ 50 ms | ${fmt(Math.max(...keyframeMs))} ms |`,
    `| making a version of the finished ${(finalState.length / 1024).toFixed(0)} KB document: delta / whole state (keyframe) encode, max of 5 | ≤ 50 ms | ${fmt(Math.max(...deltaBlocks, 0))} / ${fmt(Math.max(...fullBlocks))} ms |`,
    `| storage of ${stored.versions} versions (data, state vectors, authors) | ≤ 10× the document (${(finalState.length / 1024).toFixed(0)} KB) | ${(stored.bytes / 1024).toFixed(0)} KB = ${ratio.toFixed(2)}× |`,
    `| opening a version with its diff against the previous one, server side (3 versions × ${OPEN_SAMPLES}), p50 / max | ≤ 300 ms | ${fmt(percentile(openTimes.previous, 50))} / ${fmt(Math.max(...openTimes.previous))} ms |`,
    `| opening a version with its diff against the current document, p50 / max | ≤ 300 ms | ${fmt(percentile(openTimes.current, 50))} / ${fmt(Math.max(...openTimes.current))} ms |`,
    `| longest event-loop stall while opening versions (the diff runs in a conversion worker) | — | ${fmt(stall.max / 1e6)} ms |`,
  ];
  console.log(lines.join("\n"));
  writeResultsSection("history", lines.join("\n"));
} finally {
  await conversions.close();
  await database.close();
  await testDatabase.drop();
}
