// Helpers for the abuse and fuzz suites (server/collab/abuse/): attacker sockets from chosen
// loopback addresses, upgrade outcomes (open / refused with an HTTP status), liveness probes,
// a well-behaved editing pair that measures its update latency, and an RSS sampler.

import WebSocket from "ws";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { CloseCode } from "../../lib/closeCodes.ts";
import type { DocumentStorage } from "../collab/storage/DocumentStorage.ts";
import { connectClient, synced, waitFor } from "./yClients.ts";

/** Close codes a hostile socket may legitimately end with: our named codes, and ws's 1009
 *  (frame larger than maxPayload). Anything else (1006: dropped without a close frame,
 *  1011: server error, ...) counts as a failure of the suite. */
export const NAMED_CLOSE_CODES: ReadonlySet<number> = new Set<number>([...Object.values(CloseCode), 1009]);

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

export type ProbeResult = { kind: "answered" } | { kind: "closed"; code: number } | { kind: "hang" };

/**
 * Liveness of a socket after whatever was sent on it: sends PROBE_FRAME and waits for a sync
 * step 2 that arrives after it (the server handles one socket's frames in order, so an answer
 * after the probe is the probe's, or a later one), or for the socket to close. Neither within
 * `timeoutMs` is a hang.
 */
export function probe(socket: WebSocket, timeoutMs = 5_000): Promise<ProbeResult> {
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
      const bytes = data as Buffer;
      if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] === 1) finish({ kind: "answered" });
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
    socket.send(PROBE_FRAME, { binary: true }, () => {});
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
 * an exception inside ws's receiver) survives server.close(), and its Awareness interval keeps
 * the test process alive forever. Reports it and lets the process exit (with the test
 * runner's exit code) instead of hanging `npm test`.
 */
export async function exitDespiteLeakedRooms(server: { collab: { rooms: { size: number } } } | undefined): Promise<void> {
  // Rooms released by the close itself unload asynchronously; give them a moment.
  await waitFor(() => (server?.collab.rooms.size ?? 0) === 0, "rooms to unload", 5_000).catch(() => {});
  const leaked = server?.collab.rooms.size ?? 0;
  if (leaked === 0) return;
  console.error(`[abuse] ${leaked} document(s) still loaded after server.close(): leaked connections; exiting explicitly`);
  setTimeout(() => process.exit(), 3_000).unref();
}
