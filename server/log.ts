// Structured logs (pino): one JSON object per line (info and debug on stdout, warnings and
// errors on stderr) — time, level, message, the
// fields given, and the ids that tie lines together (`connection` for a socket, `request` for
// an HTTP request) through child loggers. An Error in a field is written with its stack.
// In development (`npm run dev`) lines are pretty-printed instead.
//
// LOG_LEVEL: debug, info (default), warn, error, or silent (errors only: tests). Read at each
// call, not at import, so a test file can set it after its imports ran.
import pino, { type Logger as PinoLogger } from "pino";
import pretty from "pino-pretty";
import { logSettingsOf, type LogLevel } from "./config.ts";

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines all carry `bindings` (e.g. {connection: id}). */
  child(bindings: LogFields): Logger;
}

type Level = Exclude<LogLevel, "silent">;
const RANK: Record<Level, number> = { debug: 20, info: 30, warn: 40, error: 50 };

/** The least severe level written now; "silent" still writes errors (something broke). */
function threshold(): number {
  const { level } = logSettingsOf();
  return level === "silent" ? RANK.error : RANK[level];
}

function createRoot(): PinoLogger {
  const options = {
    level: "debug",
    base: null,
    messageKey: "message",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { error: pino.stdSerializers.err },
  };
  // Pretty only for a person at a terminal in development; production stays one JSON per line.
  if (logSettingsOf().pretty) {
    return pino(options, pretty({ colorize: process.stdout.isTTY, messageKey: "message", sync: true }));
  }
  // Warnings and errors on stderr, the rest on stdout (dedupe: each line to one stream only).
  return pino(
    options,
    pino.multistream(
      [
        { level: "debug", stream: pino.destination({ dest: 1, sync: true }) },
        { level: "warn", stream: pino.destination({ dest: 2, sync: true }) },
      ],
      { dedupe: true },
    ),
  );
}

/** Fields as pino writes them: an Error anywhere at the top level becomes {type, message, stack}. */
function normalize(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  let copy: LogFields | null = null;
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) {
      copy ??= { ...fields };
      copy[key] = pino.stdSerializers.err(value);
    }
  }
  return copy ?? fields;
}

function wrap(target: PinoLogger): Logger {
  const at = (level: Level) => (message: string, fields?: LogFields) => {
    if (RANK[level] < threshold()) return;
    target[level](normalize(fields), message);
  };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (bindings) => wrap(target.child(bindings)),
  };
}

/** The process logger. */
export const log: Logger = wrap(createRoot());

/** A logger that writes nothing (benchmarks, tests that assert on other things). */
export const silentLog: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLog,
};
