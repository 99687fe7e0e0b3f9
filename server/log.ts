// Structured logs: one JSON object per line on stdout/stderr, easy to grep and to ship.

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function write(level: string, message: string, fields?: LogFields): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

/** The process logger; LOG_LEVEL=silent mutes it (tests). */
export const log: Logger = {
  info: (message, fields) => process.env.LOG_LEVEL !== "silent" && write("info", message, fields),
  warn: (message, fields) => process.env.LOG_LEVEL !== "silent" && write("warn", message, fields),
  error: (message, fields) => write("error", message, fields),
};
