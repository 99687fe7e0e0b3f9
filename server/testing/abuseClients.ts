// Helpers for the abuse and fuzz suites (server/collab/abuse/): attacker sockets from chosen
// loopback addresses, upgrade outcomes (open / refused with an HTTP status), liveness probes,
// a well-behaved editing pair that measures its update latency, and an RSS sampler.

import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import type { WebsocketProvider } from "y-websocket";
import type { DocumentStorage } from "../collab/storage/DocumentStorage.ts";
import { syncFrame } from "./abuseFrames.ts";
import { connectClient, synced, waitFor } from "./yClients.ts";

/** A loopback source address for attacker number `n` (127.0.0.2 ... 127.0.0.251), so that
 *  attackers never share an address with the well-behaved clients (127.0.0.1) and per-IP
 *  limits can be exercised per attack. Linux routes all of 127/8 to lo. */
export function attackerAddress(n: number): string {
  return `127.0.0.${2 + (((n % 250) + 250) % 250)}`;
}

export type UpgradeOutcome =
  | { kind: "open"; socket: WebSocket }
  | { kind: "refused"; status: number }
  | { kind: "error"; message: string };

/** Opens a WebSocket and reports how the upgrade ended: open, refused with an HTTP status
 *  (429, 503, ...), or a network error (reset, timeout). Never rejects. */
export function tryConnect(
  url: string,
  { localAddress, timeoutMs = 10_000 }: { localAddress?: string; timeoutMs?: number } = {},
): Promise<UpgradeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: UpgradeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const socket = new WebSocket(url, { localAddress, handshakeTimeout: timeoutMs });
    const timer = setTimeout(() => {
      settle({ kind: "error", message: "upgrade timed out" });
      socket.terminate();
    }, timeoutMs + 1_000);
    socket.on("error", (error) => settle({ kind: "error", message: error.message }));
    socket.once("unexpected-response", (request, response) => {
      settle({ kind: "refused", status: response.statusCode ?? 0 });
      response.resume();
      request.destroy();
    });
    socket.once("open", () => settle({ kind: "open", socket }));
  });
}

/** Resolves with the close code once `socket` closes (or null after `timeoutMs`). */
export function closedWithin(socket: WebSocket, timeoutMs: number): Promise<number | null> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve(lastCloseCode.get(socket) ?? 1006);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    socket.once("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

const lastCloseCode = new WeakMap<WebSocket, number>();
/** Remembers the close code of `socket` so closedWithin works after the fact. */
export function rememberCloseCode(socket: WebSocket): void {
  socket.once("close", (code) => lastCloseCode.set(socket, code));
}

/** Sync step 1 with an empty state vector: the server must answer with a sync step 2. */
export const PROBE_FRAME = Uint8Array.of(0, 0, 1, 0);

/** Root map of the documents that probes write their marker into (nothing else reads it). */
export const PROBE_MAP = "abuse-probe";

export type ProbeResult = { kind: "answered" } | { kind: "closed"; code: number } | { kind: "hang" };

/** Frames one probe sends (they count against the socket's rate limit too). */
export const PROBE_FRAME_COUNT = 3;

/**
 * The frames of one probe: an update writing a fresh nonce (a key of PROBE_MAP), then sync
 * step 1 with an empty state vector, twice. Only the answer to these, or a later frame, can
 * carry the nonce: an answer to a frame sent before the probe was made before the nonce was
 * applied, and the server never echoes a client's own update. (An empty step 1 is answered
 * from the join frames the room keeps ready, so the probe costs the server no encoding. The
 * server may answer one empty step 1 per socket early from the stored state, before the
 * room is loaded and so without the nonce: hence a second one, always answered in order.)
 */
function probeFrames(): { nonce: Buffer; frames: Uint8Array[] } {
  const nonce = `probe-${randomBytes(12).toString("hex")}`;
  const doc = new Y.Doc();
  doc.getMap(PROBE_MAP).set(nonce, true);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return { nonce: Buffer.from(nonce), frames: [syncFrame(2, update), PROBE_FRAME, PROBE_FRAME] };
}

/** True when `bytes` is a sync frame (step 2 or update) carrying `nonce` (map keys are
 *  written as plain UTF-8 in Yjs's encoding, so a byte search finds it). */
function isSyncWith(bytes: Buffer, nonce: Buffer): boolean {
  return bytes.length > 2 && bytes[0] === 0 && (bytes[1] === 1 || bytes[1] === 2) && bytes.indexOf(nonce) >= 0;
}

/**
 * Liveness of a socket after whatever was sent on it: sends a probe (see probeFrames) and
 * waits for the answer carrying its nonce, or for the socket to close. Neither within
 * `timeoutMs` is a hang. Only an answer carrying the probe's nonce counts: an answer to a frame
 * sent earlier says nothing about the frames in between (such stale answers once passed a
 * socket that had stopped being served for a live one).
 */
export function probe(socket: WebSocket, timeoutMs = 5_000): Promise<ProbeResult> {
  const { nonce, frames } = probeFrames();
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off("message", onMessage);
      socket.off("close", onClose);
      resolve(result);
    };
    const onMessage = (data: WebSocket.RawData) => {
      if (isSyncWith(data as Buffer, nonce)) finish({ kind: "answered" });
    };
    const onClose = (code: number) => finish({ kind: "closed", code });
    const timer = setTimeout(() => finish({ kind: "hang" }), timeoutMs);
    if (socket.readyState !== WebSocket.OPEN) {
      if (socket.readyState === WebSocket.CLOSED) finish({ kind: "closed", code: lastCloseCode.get(socket) ?? 1006 });
      else socket.once("close", onClose);
      return;
    }
    socket.on("message", onMessage);
    socket.once("close", onClose);
    for (const frame of frames) socket.send(frame, { binary: true }, () => {});
  });
}

/** Sends without throwing (a socket the server already closed just drops the frame). */
export function sendQuietly(socket: WebSocket, data: Uint8Array | string, binary = typeof data !== "string"): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  socket.send(data, { binary }, () => {});
}

/** Percentile (0..100) of `values` by nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Samples the process's resident set size while an attack runs. */
export class RssSampler {
  readonly baseline = process.memoryUsage.rss();
  peak = this.baseline;
  private readonly timer: NodeJS.Timeout;
  constructor(intervalMs = 25) {
    this.timer = setInterval(() => {
      const rss = process.memoryUsage.rss();
      if (rss > this.peak) this.peak = rss;
    }, intervalMs);
    this.timer.unref();
  }
  /** Peak growth over the baseline, in bytes. */
  get growth(): number {
    return this.peak - this.baseline;
  }
  stop(): void {
    clearInterval(this.timer);
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }
}

export const MB = 1024 * 1024;

/** Latency figures of an EditingPair run. */
export interface PairReport {
  edits: number;
  delivered: number;
  p50: number;
  p99: number;
  max: number;
  /** Closes of the pair's own sockets during the run (a legitimate client must never be cut). */
  disconnects: number[];
}

const TOKEN = /\{p\d-\d+\}/g;

/**
 * A well-behaved client pair on one document (stock y-websocket providers from 127.0.0.1):
 * every `intervalMs` one of them (alternating) appends a unique token to a shared text; the
 * other records how long the token took to arrive. Afterwards `stop()` waits for delivery
 * and `assertAllPersisted()` checks every token is in the database.
 */
export class EditingPair {
  readonly providers: [WebsocketProvider, WebsocketProvider];
  readonly latencies: number[] = [];
  readonly sentAt = new Map<string, number>();
  readonly delivered = new Set<string>();
  readonly disconnects: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private n = 0;

  private constructor(
    readonly wsUrl: string,
    readonly documentId: string,
    params: Record<string, string>,
  ) {
    this.providers = [connectClient(wsUrl, documentId, undefined, params), connectClient(wsUrl, documentId, undefined, params)];
    this.providers.forEach((provider, index) => {
      provider.doc.getText("t").observe((event) => {
        if (event.transaction.local) return;
        const now = performance.now();
        for (const op of event.delta) {
          if (typeof op.insert !== "string") continue;
          for (const match of op.insert.matchAll(TOKEN)) this.onArrival(match[0], index, now);
        }
      });
      provider.on("connection-close", (event: CloseEvent | null) => {
        this.disconnects.push(event?.code ?? -1);
      });
    });
  }

  /** Connects both clients, waits for their first sync, and starts editing. */
  static async start(wsUrl: string, documentId: string, intervalMs = 20, params: Record<string, string> = {}): Promise<EditingPair> {
    const pair = new EditingPair(wsUrl, documentId, params);
    await Promise.all(pair.providers.map((p) => synced(p)));
    pair.timer = setInterval(() => pair.editOnce(), intervalMs);
    return pair;
  }

  private editOnce(): void {
    const from = this.n % 2;
    const token = `{p${from}-${this.n++}}`;
    const text = this.providers[from].doc.getText("t");
    this.sentAt.set(token, performance.now());
    text.insert(text.length, token);
  }

  private onArrival(token: string, receiver: number, now: number): void {
    const sent = this.sentAt.get(token);
    if (sent === undefined || this.delivered.has(token)) return;
    // Only the other client's tokens count (its own never arrive remotely anyway).
    if (Number(token[2]) === receiver) return;
    this.delivered.add(token);
    this.latencies.push(now - sent);
  }

  /** Stops editing and waits until every token reached the other client. */
  async stop(timeoutMs = 10_000): Promise<PairReport> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await waitFor(() => this.delivered.size === this.sentAt.size, "the pair's edits to reach each other", timeoutMs).catch(() => {});
    return this.report();
  }

  report(): PairReport {
    return {
      edits: this.sentAt.size,
      delivered: this.delivered.size,
      p50: percentile(this.latencies, 50),
      p99: percentile(this.latencies, 99),
      max: this.latencies.length ? Math.max(...this.latencies) : Number.NaN,
      disconnects: [...this.disconnects],
    };
  }

  /** Tokens sent that the stored document does not contain (polls until none or timeout). */
  async missingFromDatabase(storage: DocumentStorage, timeoutMs = 15_000): Promise<string[]> {
    let missing: string[] = [...this.sentAt.keys()];
    const deadline = Date.now() + timeoutMs;
    while (missing.length > 0 && Date.now() < deadline) {
      const state = await storage.load(this.documentId);
      const doc = new Y.Doc();
      if (state) Y.applyUpdate(doc, state);
      const stored = new Set(doc.getText("t").toString().match(TOKEN) ?? []);
      doc.destroy();
      missing = [...this.sentAt.keys()].filter((t) => !stored.has(t));
      if (missing.length > 0) await new Promise((r) => setTimeout(r, 200));
    }
    return missing;
  }

  destroy(): void {
    if (this.timer) clearInterval(this.timer);
    for (const provider of this.providers) {
      const doc = provider.doc;
      provider.destroy();
      doc.destroy();
    }
  }
}

/** Named figures of an attack (undefined ones are skipped). */
export type Figures = { [name: string]: string | number | undefined };

/** One line of figures for an attack, printed by the suites. */
export function formatFigures(name: string, figures: Figures): string {
  return `[abuse] ${name}: ${Object.entries(figures)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === "number" && !Number.isInteger(v) ? v.toFixed(1) : v}`)
    .join(" ")}`;
}

/**
 * A room whose connection never released it (a socket whose close was never seen, e.g. after
 * an exception inside ws's receiver) survives server.close(): a leak, and a failure of the
 * suite. Throws (call it last in an `after` hook: the hook, and so the run, fails with the
 * message) and makes the process exit non-zero: the leaked room's Awareness interval would
 * otherwise keep it alive forever.
 */
export async function failOnLeakedRooms(server: { collab: { rooms: { size: number } } } | undefined): Promise<void> {
  // Rooms released by the close itself unload asynchronously; give them a moment.
  await waitFor(() => (server?.collab.rooms.size ?? 0) === 0, "rooms to unload", 5_000).catch(() => {});
  const leaked = server?.collab.rooms.size ?? 0;
  if (leaked === 0) return;
  const message = `${leaked} document(s) still loaded after server.close(): leaked connections`;
  console.error(`[abuse] ${message}; exiting with status 1`);
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 3_000).unref();
  throw new Error(message);
}

/** What an AwarenessWatcher saw: states relayed, and those without a server-stamped identity. */
export interface AwarenessWatch {
  frames: number;
  states: number;
  /** Relayed states whose `user` is not an identity the server stamps (or that do not parse). */
  unstampedStates: number;
  /** The first few of those (JSON, shortened). */
  unstamped: string[];
  /** Close code, when the watcher's own socket was closed. */
  closedWith: number | null;
}

/**
 * A plain socket on a document that records every awareness state the server relays to it,
 * and flags those whose `user` fails `isStamped`: with a policy that gives identities, each
 * state the server lets through must carry the sender's, whatever the sender wrote.
 */
export class AwarenessWatcher {
  readonly seen: AwarenessWatch = { frames: 0, states: 0, unstampedStates: 0, unstamped: [], closedWith: null };

  private constructor(readonly socket: WebSocket, private readonly isStamped: (user: unknown) => boolean) {
    socket.on("error", () => {});
    socket.on("message", (data: Buffer) => this.onMessage(new Uint8Array(data)));
    socket.once("close", (code) => (this.seen.closedWith = code));
  }

  static async open(url: string, isStamped: (user: unknown) => boolean): Promise<AwarenessWatcher> {
    const outcome = await tryConnect(url);
    if (outcome.kind !== "open") throw new Error(`awareness watcher could not connect: ${JSON.stringify(outcome)}`);
    const watcher = new AwarenessWatcher(outcome.socket, isStamped);
    // Join like a client (or the server closes a silent socket), and ask who is here.
    outcome.socket.send(PROBE_FRAME);
    outcome.socket.send(Uint8Array.of(3));
    return watcher;
  }

  private onMessage(bytes: Uint8Array): void {
    if (bytes[0] !== 1) return;
    this.seen.frames++;
    try {
      const decoder = decoding.createDecoder(decoding.readVarUint8Array(decoding.createDecoder(bytes.subarray(1))));
      const count = decoding.readVarUint(decoder);
      for (let i = 0; i < count; i++) {
        decoding.readVarUint(decoder); // client id
        decoding.readVarUint(decoder); // clock
        const json = decoding.readVarString(decoder);
        const state: unknown = JSON.parse(json);
        if (state === null) continue; // a client leaving
        this.seen.states++;
        const user = typeof state === "object" ? (state as { user?: unknown }).user : undefined;
        if (!this.isStamped(user)) this.flag(json);
      }
    } catch (error) {
      this.flag(`unparseable awareness frame from the server: ${String(error)}`);
    }
  }

  private flag(what: string): void {
    this.seen.unstampedStates++;
    if (this.seen.unstamped.length < 10) this.seen.unstamped.push(what.slice(0, 200));
  }

  close(): void {
    this.socket.close(1000);
  }
}
