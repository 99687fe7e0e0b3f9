// Prometheus metrics (prom-client), served at /metrics (server/metrics/metricsEndpoint.ts).
//
// Per-message figures (messages and bytes in and out) are plain numbers bumped on the hot path
// and handed to prom-client only when /metrics is scraped: a labelled prom-client counter costs
// far more per call than an addition, and fan-out sends hundreds of thousands of frames a
// second. Rare events (closes, refusals, commits) use prom-client directly.
//
// One set per process, kept on globalThis: Next bundles its own copy of server modules for
// route handlers, and a second registry would count apart from the one /metrics serves.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** What the gauges read: each running collab server registers one (tests run several). */
export interface CollabGaugeSource {
  connections(): number;
  loadedDocuments(): number;
}
/** Database pool state: PostgreSQL's pg pool of the collab server; none on PGlite. */
export interface PoolGaugeSource {
  total(): number;
  idle(): number;
  waiting(): number;
}

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

  /** Hot-path totals, read at scrape time. */
  const collabTraffic = { messagesIn: 0, bytesIn: 0, messagesOut: 0, bytesOut: 0 };

  function counterOf(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }
  counterOf("collab_messages_received_total", "WebSocket messages received from collab clients", () => collabTraffic.messagesIn);
  counterOf("collab_bytes_received_total", "Bytes of WebSocket messages received from collab clients", () => collabTraffic.bytesIn);
  counterOf("collab_messages_sent_total", "WebSocket messages sent to collab clients (updates, sync, awareness, acks)", () => collabTraffic.messagesOut);
  counterOf("collab_bytes_sent_total", "Bytes written to collab sockets", () => collabTraffic.bytesOut);

  const collabSources = new Set<CollabGaugeSource>();
  function addCollabGaugeSource(source: CollabGaugeSource): () => void {
    collabSources.add(source);
    return () => collabSources.delete(source);
  }
  const sum = (read: (source: CollabGaugeSource) => number) => [...collabSources].reduce((total, source) => total + read(source), 0);
  function gaugeOf(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  }
  gaugeOf("collab_open_connections", "Open collab WebSocket connections", () => sum((source) => source.connections()));
  gaugeOf("collab_loaded_documents", "Documents loaded in memory (rooms)", () => sum((source) => source.loadedDocuments()));

  const persistSeconds = new Histogram({
    name: "collab_persist_duration_seconds",
    help: "Time to append one batch of updates to the document log",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  const ackSeconds = new Histogram({
    name: "collab_ack_latency_seconds",
    help: "From the first update of a batch being queued to its commit, when the clients that sent it get their durable-save ack",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const closeCodes = new Counter({
    name: "collab_connections_closed_total",
    help: "Collab connections closed, by WebSocket close code (lib/closeCodes.ts)",
    labelNames: ["code"],
    registers: [registry],
  });

  const refusals = new Counter({
    name: "http_refusals_total",
    help: "Requests and upgrades refused before reaching a handler, by kind, status and reason",
    labelNames: ["kind", "status", "reason"],
    registers: [registry],
  });

  let poolSource: PoolGaugeSource | null = null;
  function setPoolGaugeSource(source: PoolGaugeSource | null): void {
    poolSource = source;
  }
  gaugeOf("db_pool_connections", "Connections in the collab server's PostgreSQL pool", () => poolSource?.total() ?? 0);
  gaugeOf("db_pool_idle_connections", "Idle connections in the collab server's PostgreSQL pool", () => poolSource?.idle() ?? 0);
  gaugeOf("db_pool_waiting_queries", "Queries waiting for a pool connection", () => poolSource?.waiting() ?? 0);

  /** Redis (fan-out between instances): 1 connected, 0 not; absent without REDIS_URL. */
  let redisConnected: (() => boolean) | null = null;
  function setRedisStateSource(read: (() => boolean) | null): void {
    redisConnected = read;
  }
  new Gauge({
    name: "redis_connected",
    help: "1 when this instance's Redis fan-out connection is ready, 0 when not (absent without REDIS_URL)",
    registers: [registry],
    collect() {
      this.reset();
      if (redisConnected) this.set(redisConnected() ? 1 : 0);
    },
  });
  return {
    registry,
    collabTraffic,
    addCollabGaugeSource,
    persistSeconds,
    ackSeconds,
    closeCodes,
    refusals,
    setPoolGaugeSource,
    setRedisStateSource,
  };
}

const shared = globalThis as typeof globalThis & { __collabMetrics?: ReturnType<typeof createMetrics> };
/** The process's metrics: the registry /metrics serves and what the server records into it. */
export const metrics = (shared.__collabMetrics ??= createMetrics());
