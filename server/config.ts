// Environment configuration, validated once at start-up. A bad value stops the process
// with a message naming the variable, instead of failing later in some request. This is the
// one module that reads process.env: everything else is handed a Config, or asks one of the
// small readers below (for code that runs before or outside loadConfig: the logger, route
// handlers bundled by Next.js).

import { DEFAULT_LIMITS, type CollabLimits } from "./collab/limits.ts";

import { ConfigError } from "./ConfigError.ts";
import { mailConfigOf, type MailConfig } from "./mail/mailConfig.ts";

export { ConfigError };

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** TCP port of the one http server (app + WebSocket). */
  port: number;
  /** Interface to bind. */
  host: string;
  /** PostgreSQL URL; unset means embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** Where the embedded database (and other local state) lives. */
  dataDir: string;
  /** Redis URL for fan-out across instances; unset means single instance. */
  redisUrl: string | undefined;
  /** Largest accepted WebSocket frame. */
  maxPayloadBytes: number;
  /** Interval between heartbeat pings; a peer that missed one is dropped. */
  pingIntervalMs: number;
  /** Next.js dev mode (hot reload) instead of the production build. */
  dev: boolean;
  /** Abuse limits of the collab server (server/collab/limits.ts). */
  limits: CollabLimits;
  /** The origin users reach the app on: share links are built on it, and WebSocket upgrades
   *  and auth requests from any other Origin are refused (cross-site WebSocket hijacking). */
  publicUrl: string;
  /** Origins accepted on upgrades and auth requests: PUBLIC_URL's, or when it is unset, the
   *  loopback names of PORT (localhost, 127.0.0.1, [::1]) so a newcomer's browser just works. */
  allowedOrigins: string[];
  /** Who may create an account once the first (admin) one exists: anyone, or invited people. */
  signup: "open" | "invite";
  /** Signs session cookies; unset means one generated once and kept in the database. */
  authSecret: string | undefined;
  /** Bearer token for /metrics; unset: /metrics answers loopback clients only (no proxy headers). */
  metricsToken: string | undefined;
  /** Checked at start-up so a typo stops the server with a message; server/log.ts reads it. */
  logLevel: LogLevel;
  /** Reverse proxies in front of the server whose X-Forwarded-For entries are trusted: 0 keys
   *  rate limits on the socket's address; n on the entry the n-th proxy from us appended. */
  trustProxy: number;
  /** Days a document stays in Trash before it is deleted forever. */
  trashRetentionDays: number;
  /** Largest image upload (the one request body allowed past the 1 MiB of the JSON APIs). */
  maxUploadBytes: number;
  /** SMTP_URL + MAIL_FROM; null: email off, links are shown to copy (server/mail/). */
  mail: MailConfig | null;
}

/** Env var of each collab limit; the README's configuration table lists them. */
export const LIMIT_VARIABLES: Record<keyof CollabLimits, string> = {
  maxDocumentBytes: "MAX_DOCUMENT_BYTES",
  messagesPerSecond: "RATE_MESSAGES_PER_SECOND",
  messageBurst: "RATE_MESSAGE_BURST",
  bytesPerSecond: "RATE_BYTES_PER_SECOND",
  byteBurst: "RATE_BYTE_BURST",
  maxAwarenessBytes: "MAX_AWARENESS_BYTES",
  awarenessPerSecond: "AWARENESS_PER_SECOND",
  maxConnectionsPerIp: "MAX_CONNECTIONS_PER_IP",
  newConnectionsPerIpPerMinute: "NEW_CONNECTIONS_PER_IP_PER_MINUTE",
  maxClientsPerDocument: "MAX_CLIENTS_PER_DOCUMENT",
  maxLoadedDocuments: "MAX_LOADED_DOCUMENTS",
  firstMessageTimeoutMs: "FIRST_MESSAGE_TIMEOUT_MS",
};

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `expected an integer, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `expected ${min}..${max}, got ${value}`);
  return value;
}

/** TRASH_RETENTION_DAYS, validated (also read alone by the Trash page, in the bundled app). */
export function trashRetentionDaysOf(env: Env = process.env): number {
  return integer(env, "TRASH_RETENTION_DAYS", 30, 1, 36_500);
}

/** Bounds of MAX_UPLOAD_BYTES: an image is held in memory while it is checked and stored, and
 *  PostgreSQL's bytea tops out near 1 GB; past 100 MiB is surely a typo. */
const MIN_UPLOAD_BYTES = 1024;
const MAX_UPLOAD_BYTES_CEILING = 100 * 1024 * 1024;

/** MAX_UPLOAD_BYTES, validated (also read alone by the image upload route, in the bundled app). */
export function maxUploadBytesOf(env: Env = process.env): number {
  return integer(env, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024, MIN_UPLOAD_BYTES, MAX_UPLOAD_BYTES_CEILING);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, "not a valid URL");
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(" or ")} URL, got ${parsed.protocol}`);
  }
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${values.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}

/** Largest TRUST_PROXY hop count: more proxies than this in a chain is a misconfiguration. */
const MAX_PROXY_HOPS = 10;

/** TRUST_PROXY: `false` (0 hops), `true` (1 hop: one proxy in front), or a hop count. */
function proxyHops(env: Env, name: string): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "" || raw === "false") return 0;
  if (raw === "true") return 1;
  if (/^\d+$/.test(raw) && Number(raw) <= MAX_PROXY_HOPS) return Number(raw);
  throw new ConfigError(name, `expected true, false or a number of proxies 0..${MAX_PROXY_HOPS}, got "${raw}"`);
}

function secret(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  if (raw.length < 32) throw new ConfigError(name, "must be at least 32 characters (e.g. `openssl rand -base64 32`)");
  return raw;
}

/** Data directory when DATA_DIR is unset, relative to the working directory. */
export const DEFAULT_DATA_DIR = "./data";

/** Where the database is, for code that opens it without a Config (route handlers, the CLI). */
export function databaseOptionsOf(env: Env = process.env): { databaseUrl: string | undefined; dataDir: string } {
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR || DEFAULT_DATA_DIR };
}

/** How to log, read at each call (a test may set LOG_LEVEL after its imports ran). Lenient:
 *  an unknown level logs at info here; loadConfig is what refuses it at start-up. */
export function logSettingsOf(env: Env = process.env): { level: LogLevel; pretty: boolean; traceSchemaEngine: boolean } {
  const level = (LOG_LEVELS as readonly string[]).includes(env.LOG_LEVEL ?? "") ? (env.LOG_LEVEL as LogLevel) : "info";
  return {
    level,
    pretty: env.NODE_ENV === "development" || env.LOG_PRETTY === "1",
    traceSchemaEngine: Boolean(env.DEBUG_SCHEMA_ENGINE),
  };
}

/** Reads and validates the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, variable] of Object.entries(LIMIT_VARIABLES) as [keyof CollabLimits, string][]) {
    limits[key] = integer(env, variable, DEFAULT_LIMITS[key], 1, Number.MAX_SAFE_INTEGER);
  }
  const port = integer(env, "PORT", 3000, 0, 65535);
  const configuredUrl = url(env, "PUBLIC_URL", ["http:", "https:"]);
  const publicUrl = configuredUrl ?? `http://localhost:${port}`;
  const allowedOrigins = configuredUrl
    ? [new URL(configuredUrl).origin]
    : ["localhost", "127.0.0.1", "[::1]"].map((host) => `http://${host}:${port}`);
  return {
    limits,
    port,
    // Only the origin counts (no path, no trailing slash): it is compared with Origin headers.
    publicUrl: new URL(publicUrl).origin,
    allowedOrigins,
    signup: oneOf(env, "SIGNUP", ["open", "invite"] as const, "invite"),
    authSecret: secret(env, "AUTH_SECRET"),
    metricsToken: secret(env, "METRICS_TOKEN"),
    logLevel: oneOf(env, "LOG_LEVEL", LOG_LEVELS, "info"),
    trustProxy: proxyHops(env, "TRUST_PROXY"),
    host: env.HOST || "0.0.0.0",
    databaseUrl: url(env, "DATABASE_URL", ["postgres:", "postgresql:"]),
    dataDir: env.DATA_DIR || DEFAULT_DATA_DIR,
    redisUrl: url(env, "REDIS_URL", ["redis:", "rediss:"]),
    maxPayloadBytes: integer(env, "MAX_PAYLOAD_BYTES", 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    pingIntervalMs: integer(env, "PING_INTERVAL_MS", 30_000, 100, 600_000),
    trashRetentionDays: trashRetentionDaysOf(env),
    maxUploadBytes: maxUploadBytesOf(env),
    mail: mailConfigOf(env),
    dev: env.NODE_ENV !== "production",
  };
}
