// CPU time of the PostgreSQL server on this machine, from /proc: the database shares the
// cores with the server under test and the load generators, so a server that makes it work
// harder leaves less CPU for everything else, and the report should show it.

import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * Total user + system CPU (ms) of every live `postgres` process. Backends that exit between
 * two readings take their time with them, so deltas are a lower bound; the benchmark's pools
 * keep their connections for a whole scenario. 0 where /proc is not available.
 */
export function databaseCpuMs(): number {
  let ticks = 0;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the parenthesised command name (which may contain spaces).
      const close = stat.lastIndexOf(")");
      const command = stat.slice(stat.indexOf("(") + 1, close);
      if (command !== "postgres") continue;
      const fields = stat.slice(close + 2).split(" ");
      // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process exited while we read.
    }
  }
  return (ticks / TICKS_PER_SECOND) * 1000;
}
