// A silent logger that keeps what was logged at error level, so a suite can assert that the
// server met nothing unexpected (a bug reached through a client's frame is logged as an error
// and would otherwise pass unseen behind a close code), and its warnings, for tests of what
// the server complains about.
import type { LogFields, Logger } from "../log.ts";

export interface LoggedError {
  message: string;
  fields: LogFields;
}

export class RecordingLog implements Logger {
  /** Error-level entries, oldest first (capped, so a flood of errors cannot exhaust memory). */
  readonly errors: LoggedError[] = [];
  /** Errors logged in all, including those past the cap. */
  errorCount = 0;
  /** Warning-level entries, oldest first (capped like the errors). */
  readonly warnings: LoggedError[] = [];

  constructor(private readonly maxKept = 100) {}

  debug(): void {}
  info(): void {}
  warn(message: string, fields: LogFields = {}): void {
    if (this.warnings.length < this.maxKept) this.warnings.push({ message, fields });
  }
  child(): Logger {
    return this;
  }
  error(message: string, fields: LogFields = {}): void {
    this.errorCount++;
    if (this.errors.length < this.maxKept) this.errors.push({ message, fields });
  }

  /** The kept errors, one line each, for an assertion message. */
  describeErrors(limit = 5): string {
    const lines = this.errors.slice(0, limit).map((e) => `${e.message} ${JSON.stringify(e.fields)}`);
    return `${this.errorCount} error(s) logged by the server:\n${lines.join("\n")}`;
  }
}
