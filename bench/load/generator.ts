// A load generator process: real Yjs clients (y-websocket's WebsocketProvider, Hocuspocus's
// HocuspocusProvider) or raw ws sockets for the bare relay, driven by the orchestrator over IPC.
// Latency tokens carry the send time on the machine-wide clock (performance.timeOrigin +
// performance.now()), so receive time minus send time is comparable across processes.

import { readFileSync } from "node:fs";
import WebSocket from "ws";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { HocuspocusProvider } from "@hocuspocus/provider";
import { nowMs, processStats, serveRequests, sleep } from "../lib/child.ts";
import { applyTxn, readTrace, TEXT_NAME, type Trace } from "../lib/trace.ts";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";

type ClientKind = "y-websocket" | "hocuspocus" | "raw";

/** Latency samples kept per process (reservoir); counts stay exact beyond it. */
const MAX_SAMPLES = 300_000;
/** Connections opened at once, so a burst of handshakes does not look like server slowness. */
const CONNECT_CONCURRENCY = 64;
/** Scheduler tick for writers. */
const TICK_MS = 2;
/** Token inserted by writers: "<" + 16 digits of microseconds + ">". */
const TOKEN_PATTERN = /<(\d{16})>/g;

interface Client {
  docId: string;
  writer: boolean;
  doc?: Y.Doc;
  text?: Y.Text;
  provider?: WebsocketProvider | HocuspocusProvider;
  socket?: WebSocket;
  /** ms from construction to first sync (or open, for raw sockets). */
  syncMs?: number;
  /** ms from construction to the first frame from the server (y-websocket clients): the
   *  server's part of a sync, before the client decodes and applies what it got. */
  firstFrameMs?: number;
}

const clients: Client[] = [];
// y-websocket's provider adds a process "exit" listener per instance; thousands are expected here.
process.setMaxListeners(0);
let recording = false;
let recordFromMs = 0;
let received = 0;
let samples: number[] = [];
let rawFrameBytes = 40;

function record(latencyMs: number): void {
  received++;
  if (samples.length < MAX_SAMPLES) samples.push(latencyMs);
  else {
    const slot = Math.floor(Math.random() * received);
    if (slot < MAX_SAMPLES) samples[slot] = latencyMs;
  }
}

function token(): string {
  return `<${Math.round(nowMs() * 1000).toString().padStart(16, "0")}>`;
}

function onTextEvent(event: Y.YTextEvent): void {
  if (!recording) return;
  const now = nowMs();
  for (const op of event.delta) {
    if (typeof op.insert !== "string") continue;
    for (const match of op.insert.matchAll(TOKEN_PATTERN)) {
      const sentMs = Number(match[1]) / 1000;
      if (sentMs >= recordFromMs) record(now - sentMs);
    }
  }
}

function connectOne(kind: ClientKind, url: string, client: Client, initialState: Uint8Array | null, timeoutMs: number): Promise<void> {
  const started = nowMs();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client for ${client.docId} not synced in ${timeoutMs} ms`)), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      client.syncMs = nowMs() - started;
      resolve();
    };
    if (kind === "raw") {
      const socket = new WebSocket(`${url}/${client.docId}`, { perMessageDeflate: false });
      client.socket = socket;
      socket.binaryType = "nodebuffer";
      socket.on("error", () => {});
      socket.once("open", done);
      socket.on("message", (data: Buffer) => {
        if (!recording || data.length < 9) return;
        const sentMs = data.readDoubleLE(1);
        if (sentMs >= recordFromMs) record(nowMs() - sentMs);
      });
      return;
    }
    const doc = new Y.Doc();
    if (initialState) Y.applyUpdate(doc, initialState);
    const text = doc.getText(TEXT_NAME);
    if (!client.writer) text.observe(onTextEvent);
    client.doc = doc;
    client.text = text;
    if (kind === "y-websocket") {
      const provider = new WebsocketProvider(url, client.docId, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        maxBackoffTime: 1_000,
      });
      client.provider = provider;
      const onStatus = ({ status }: { status: string }) => {
        if (status !== "connected" || !provider.ws) return;
        provider.off("status", onStatus);
        // Ahead of the provider's own handler, which decodes and applies before returning.
        const socket = provider.ws;
        const handle = socket.onmessage;
        socket.onmessage = (event) => {
          client.firstFrameMs ??= nowMs() - started;
          handle?.call(socket, event);
        };
      };
      provider.on("status", onStatus);
      if (provider.synced) done();
      else {
        const onSync = (isSynced: boolean) => {
          if (!isSynced) return;
          provider.off("sync", onSync);
          done();
        };
        provider.on("sync", onSync);
      }
    } else {
      const provider = new HocuspocusProvider({
        url,
        name: client.docId,
        document: doc,
        WebSocketPolyfill: WebSocket,
        onSynced: () => done(),
      } as any);
      client.provider = provider;
    }
  });
}

async function connectAll(message: any): Promise<unknown> {
  const kind: ClientKind = message.client;
  const initialState = message.initialStatePath ? new Uint8Array(readFileSync(message.initialStatePath)) : null;
  const fresh: Client[] = [];
  for (const spec of message.clients as { docId: string; writer: boolean }[]) {
    // Only writers bring the loaded document; readers start empty and sync it from the server.
    fresh.push({ docId: spec.docId, writer: spec.writer });
  }
  clients.push(...fresh);
  let next = 0;
  const errors: string[] = [];
  const worker = async () => {
    while (next < fresh.length) {
      const client = fresh[next++];
      try {
        await connectOne(kind, message.url, client, client.writer ? initialState : null, message.syncTimeoutMs ?? 30_000);
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  };
  const concurrency = message.sequential ? 1 : CONNECT_CONCURRENCY;
  await Promise.all(Array.from({ length: Math.min(concurrency, fresh.length) }, worker));
  if (errors.length > 0) throw new Error(`${errors.length} clients failed: ${errors[0]}`);
  return { connected: fresh.length, syncMs: fresh.map((c) => c.syncMs ?? -1), firstFrameMs: fresh.map((c) => c.firstFrameMs ?? -1) };
}

/** Writers insert one token at `rateHz` for `durationMs`; readers record latencies. */
async function typeTokens(message: any): Promise<unknown> {
  const writers = clients.filter((c) => c.writer);
  const rateHz: number = message.rateHz;
  const durationMs: number = message.durationMs;
  samples = [];
  received = 0;
  // Every generator starts at the same instant on the shared clock, so no reader drops a token
  // sent before its own window opened.
  const start: number = message.startAtMs ?? nowMs();
  while (nowMs() < start) await sleep(1);
  const cpuBefore = processStats().cpuMs;
  recordFromMs = start;
  recording = true;
  const intervalMs = 1000 / rateHz;
  // Spread writers' phases so they do not all fire on the same tick.
  const due = writers.map((_, i) => start + (i / Math.max(1, writers.length)) * intervalMs);
  let sent = 0;
  const payload = Buffer.alloc(rawFrameBytes);
  while (nowMs() - start < durationMs) {
    const now = nowMs();
    for (let i = 0; i < writers.length; i++) {
      if (due[i] > now) continue;
      due[i] += intervalMs;
      // A writer that fell behind skips ahead rather than bursting (a human does not type faster when late).
      if (due[i] < now) due[i] = now + intervalMs;
      const writer = writers[i];
      if (writer.socket) {
        if (writer.socket.readyState !== WebSocket.OPEN) continue;
        payload[0] = 0;
        payload.writeDoubleLE(nowMs(), 1);
        writer.socket.send(payload, { binary: true });
      } else {
        writer.text!.insert(writer.text!.length, token());
      }
      sent++;
    }
    await sleep(TICK_MS);
  }
  const cpuAtEnd = processStats().cpuMs;
  await sleep(message.drainMs ?? 1_000);
  recording = false;
  const result = { sent, received, samples, cpuMs: cpuAtEnd - cpuBefore, windowMs: nowMs() - start - (message.drainMs ?? 1_000) };
  samples = [];
  return result;
}

/** Writers continue the trace from `fromTxn` at `rateHz` transactions per second. */
async function replayTrace(message: any): Promise<unknown> {
  const writers = clients.filter((c) => c.writer);
  const trace: Trace = readTrace();
  let updateBytes = 0;
  let updates = 0;
  const listeners = writers.map((writer) => {
    const listener = (update: Uint8Array, origin: unknown) => {
      if (origin === writer.provider) return;
      updateBytes += update.byteLength;
      updates++;
    };
    writer.doc!.on("update", listener);
    return listener;
  });
  const start = nowMs();
  let txn = message.fromTxn as number;
  const intervalMs = 1000 / message.rateHz;
  let nextDue = start;
  while (nowMs() - start < message.durationMs && txn < trace.txns.length) {
    if (nowMs() >= nextDue) {
      for (const writer of writers) applyTxn(writer.doc!, writer.text!, trace.txns[txn]);
      txn++;
      nextDue += intervalMs;
    }
    await sleep(TICK_MS);
  }
  writers.forEach((writer, i) => writer.doc!.off("update", listeners[i]));
  return { updateBytes, updates, txns: txn - message.fromTxn };
}

/**
 * One join as the server sees it: open, ask for the whole document (sync step 1 with an empty
 * state vector), wait for the step 2 that answers it, leave. The bytes are not decoded: in a
 * sync storm the cost to measure is the server's, and applying 2 MB per join in the generators
 * would saturate them instead. Speaks each server's framing (Hocuspocus prefixes every message
 * with the document name and wants an auth message first).
 */
function rawJoin(kind: ClientKind, url: string, docId: string, timeoutMs: number): Promise<number> {
  const started = nowMs();
  const hocuspocus = kind === "hocuspocus";
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(hocuspocus ? url : `${url}/${docId}`, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`join of ${docId} not answered in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once("open", () => {
      const frame = (writeBody: (e: encoding.Encoder) => void) => {
        const e = encoding.createEncoder();
        if (hocuspocus) encoding.writeVarString(e, docId);
        writeBody(e);
        socket.send(encoding.toUint8Array(e));
      };
      if (hocuspocus) {
        frame((e) => {
          encoding.writeVarUint(e, 2); // Auth
          encoding.writeVarUint(e, 0); // Token
          encoding.writeVarString(e, "");
        });
      }
      frame((e) => {
        encoding.writeVarUint(e, 0); // Sync
        encoding.writeVarUint(e, 0); // step 1
        encoding.writeVarUint8Array(e, new Uint8Array([0])); // empty state vector
      });
    });
    socket.on("message", (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, Math.min(data.length, 512)));
      if (hocuspocus) decoding.readVarString(d);
      const type = decoding.readVarUint(d);
      // Sync (0) or Hocuspocus' SyncReply (4), step 2 (1).
      if ((type === 0 || (hocuspocus && type === 4)) && decoding.readVarUint(d) === 1) {
        clearTimeout(timer);
        socket.close();
        resolve(nowMs() - started);
      }
    });
  });
}

/** Sync storm: `joiners` loops of rawJoin on `docId` until `durationMs` has passed. */
async function storm(message: any): Promise<unknown> {
  const deadline = nowMs() + message.durationMs;
  const syncMs: number[] = [];
  const loop = async () => {
    while (nowMs() < deadline) syncMs.push(await rawJoin(message.client, message.url, message.docId, message.syncTimeoutMs ?? 30_000));
  };
  await Promise.all(Array.from({ length: message.joiners }, loop));
  return { joins: syncMs.length, syncMs };
}

async function disconnectAll(): Promise<unknown> {
  for (const client of clients.splice(0)) {
    try {
      if (client.socket) client.socket.close();
      client.provider?.destroy();
      client.doc?.destroy();
    } catch {}
  }
  await sleep(50);
  return null;
}

/** Heap of `count` Y.Docs holding the given state, per doc (for the loaded-documents scenario). */
function measureDocHeap(message: any): unknown {
  const state = new Uint8Array(readFileSync(message.statePath));
  const docs: Y.Doc[] = [];
  const before = processStats(true).heapUsedBytes;
  for (let i = 0; i < message.count; i++) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    doc.getText(TEXT_NAME);
    docs.push(doc);
  }
  const after = processStats(true).heapUsedBytes;
  const perDoc = (after - before) / message.count;
  docs.forEach((doc) => doc.destroy());
  return { perDocHeapBytes: perDoc };
}

serveRequests({
  connect: connectAll,
  type: typeTokens,
  replay: replayTrace,
  disconnect: disconnectAll,
  storm,
  docHeap: measureDocHeap,
  setFrameBytes: (m) => {
    rawFrameBytes = m.bytes;
    return null;
  },
  stats: (m) => processStats(m.collect),
});
process.send?.({ type: "ready" });
