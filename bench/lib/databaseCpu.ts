// CPU time of the PostgreSQL server on this machine, from /proc: the database shares the
// cores with the server under test and the load generators, so a server that makes it work
// harder leaves less CPU for everything else, and the report should show it.

import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU ticks of each live `postgres` process, by pid. Empty where /proc is not available. */
export type DatabaseCpuReading = Map<string, number>;

export function readDatabaseCpu(): DatabaseCpuReading {
  const reading: DatabaseCpuReading = new Map();
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return reading;
  }
  for (const pid of pids) {
    const process = processCpu(pid);
    if (process?.command === "postgres") reading.set(pid, process.ticks);
  }
  return reading;
}

/** A process's command name and CPU ticks (user + system) so far; null if it cannot be read
 *  (no /proc, another machine's process, or it exited). */
export function processCpu(pid: string | number): { command: string; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name (which may contain spaces).
    const close = stat.lastIndexOf(")");
    const command = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
    return { command, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** Ticks (from processCpu) in milliseconds. */
export function ticksToMs(ticks: number): number {
  return (ticks / TICKS_PER_SECOND) * 1000;
}

/**
 * CPU (ms) the database used between two readings: what each process still alive at the
 * second reading used since the first (all of it for a process started in between). A
 * backend that exited in between takes its time with it, so this is a lower bound; the
 * benchmark's pools keep their connections for a whole scenario.
 */
export function databaseCpuMsBetween(before: DatabaseCpuReading, after: DatabaseCpuReading): number {
  let ticks = 0;
  for (const [pid, total] of after) ticks += Math.max(0, total - (before.get(pid) ?? 0));
  return ticksToMs(ticks);
}
