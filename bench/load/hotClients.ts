// A load generator for the hot-document scenario (bench/hot.ts): one writer and many readers
// on one document, at thousands of updates per second. Readers are plain ws sockets that
// speak just enough of each server's protocol to join, and find the writer's latency tokens
// in the bytes they receive without applying them to a Y.Doc: 49 Y.Docs applying 5,000
// updates/s each would need several cores, and the generators have one.
// The writer is a real Y.Doc whose updates are sent as sync-update messages, one per insert,
// each appending a token to the current paragraph; every PARAGRAPH_TOKENS tokens it starts a
// new one, as people do. (A single run growing for the whole test would measure Yjs' cost of
// extending a long run, which grows with the run: see server/collab/boundedStringRuns.ts.)

import WebSocket from "ws";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { nowMs, processStats, serveRequests, sleep } from "../lib/child.ts";

type Protocol = "y-websocket" | "hocuspocus";

/** Latency samples kept per process (reservoir); the count stays exact beyond it. */
const MAX_SAMPLES = 400_000;
/** Scheduler tick of the writer: it sends what fell due since the last tick. */
const TICK_MS = 1;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
/** "<" + 16 digits of microseconds on the machine-wide clock + ">". */
const TOKEN_DIGITS = 16;
/** Tokens per paragraph (1,800 characters): each paragraph is a text of its own. */
const PARAGRAPH_TOKENS = 100;

interface HotClient {
  socket: WebSocket;
  doc?: Y.Doc;
}

const clients: HotClient[] = [];
let recording = false;
let recordFromMs = 0;
let received = 0;
let samples: number[] = [];

function record(latencyMs: number): void {
  received++;
  if (samples.length < MAX_SAMPLES) samples.push(latencyMs);
  else {
    const slot = Math.floor(Math.random() * received);
    if (slot < MAX_SAMPLES) samples[slot] = latencyMs;
  }
}

/** Every token in a received message (an update carries one, a merged update several). */
function scanTokens(data: Buffer): void {
  const now = nowMs();
  let at = data.indexOf(LESS_THAN);
  while (at >= 0 && at + TOKEN_DIGITS + 1 < data.length) {
    if (data[at + TOKEN_DIGITS + 1] === GREATER_THAN) {
      let micros = 0;
      let digits = true;
      for (let i = at + 1; i <= at + TOKEN_DIGITS; i++) {
        const digit = data[i] - 0x30;
        if (digit < 0 || digit > 9) {
          digits = false;
          break;
        }
        micros = micros * 10 + digit;
      }
      if (digits) {
        const sentMs = micros / 1000;
        if (sentMs >= recordFromMs) record(now - sentMs);
        at = data.indexOf(LESS_THAN, at + TOKEN_DIGITS + 2);
        continue;
      }
    }
    at = data.indexOf(LESS_THAN, at + 1);
  }
}

/** One message in the server's framing: Hocuspocus prefixes each with the document name. */
function message(protocol: Protocol, docId: string, writeBody: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  if (protocol === "hocuspocus") encoding.writeVarString(e, docId);
  writeBody(e);
  return encoding.toUint8Array(e);
}

/** The message type of a received message (after Hocuspocus' document name). */
function messageType(protocol: Protocol, data: Buffer): number {
  const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, Math.min(data.length, 256)));
  if (protocol === "hocuspocus") decoding.readVarString(d);
  return decoding.readVarUint(d);
}

/** Opens a socket, joins the document and resolves once the server has sent sync. */
function join(protocol: Protocol, url: string, docId: string, reader: boolean, timeoutMs: number): Promise<HotClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(protocol === "hocuspocus" ? url : `${url}/${docId}`, { perMessageDeflate: false });
    socket.binaryType = "nodebuffer";
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`${docId}: not joined in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    let joined = false;
    socket.on("message", (data: Buffer) => {
      if (joined) {
        if (reader && recording) scanTokens(data);
        return;
      }
      if (messageType(protocol, data) !== 0) return; // sync (step 1 from the server) means joined
      joined = true;
      clearTimeout(timer);
      resolve({ socket });
    });
    socket.once("open", () => {
      if (protocol === "hocuspocus") {
        socket.send(
          message(protocol, docId, (e) => {
            encoding.writeVarUint(e, 2); // Auth
            encoding.writeVarUint(e, 0); // Token
            encoding.writeVarString(e, "");
          }),
        );
      }
      socket.send(
        message(protocol, docId, (e) => {
          encoding.writeVarUint(e, 0); // Sync
          encoding.writeVarUint(e, 0); // step 1
          encoding.writeVarUint8Array(e, new Uint8Array([0])); // empty state vector
        }),
      );
    });
  });
}

async function connect(m: any): Promise<unknown> {
  const protocol: Protocol = m.protocol;
  const timeoutMs = m.timeoutMs ?? 30_000;
  if (m.writer) {
    const client = await join(protocol, m.url, m.docId, false, timeoutMs);
    const doc = new Y.Doc();
    doc.on("update", (update: Uint8Array) => {
      if (client.socket.readyState !== WebSocket.OPEN) return;
      client.socket.send(
        message(protocol, m.docId, (e) => {
          encoding.writeVarUint(e, 0); // Sync
          encoding.writeVarUint(e, 2); // update
          encoding.writeVarUint8Array(e, update);
        }),
      );
    });
    client.doc = doc;
    clients.push(client);
  }
  for (let i = 0; i < m.readers; i++) clients.push(await join(protocol, m.url, m.docId, true, timeoutMs));
  return { connected: clients.length };
}

/** The writer inserts `rateHz` tokens per second for `durationMs`; readers record latencies. */
async function run(m: any): Promise<unknown> {
  const writer = clients.find((c) => c.doc);
  samples = [];
  received = 0;
  const start: number = m.startAtMs;
  while (nowMs() < start) await sleep(1);
  const cpuBefore = processStats().cpuMs;
  recordFromMs = start;
  recording = true;
  let sent = 0;
  if (writer) {
    const intervalMs = 1000 / m.rateHz;
    let paragraph = writer.doc!.getText(`p${m.startAtMs}-0`);
    while (nowMs() - start < m.durationMs) {
      // Every token due by now, each its own transaction and message, as typists' keystrokes.
      const due = Math.floor((nowMs() - start) / intervalMs) + 1;
      for (; sent < due; sent++) {
        if (sent % PARAGRAPH_TOKENS === 0) paragraph = writer.doc!.getText(`p${m.startAtMs}-${sent}`);
        paragraph.insert(paragraph.length, `<${Math.round(nowMs() * 1000).toString().padStart(TOKEN_DIGITS, "0")}>`);
      }
      await sleep(TICK_MS);
    }
  } else {
    await sleep(Math.max(0, start + m.durationMs - nowMs()));
  }
  const cpuMs = processStats().cpuMs - cpuBefore;
  await sleep(m.drainMs ?? 1_000);
  recording = false;
  const result = { sent, received, samples, cpuMs, windowMs: m.durationMs };
  samples = [];
  return result;
}

async function disconnect(): Promise<unknown> {
  for (const client of clients.splice(0)) {
    client.socket.close();
    client.doc?.destroy();
  }
  await sleep(50);
  return null;
}

serveRequests({ connect, run, disconnect, stats: (m) => processStats(m.collect) });
process.send?.({ type: "ready" });
