// One process at a time on an embedded database: PGlite is single-process, and a second
// process (the admin command while the server runs, a second `npm start`) would corrupt it.
// A lock file holds the owner's pid; a stale one (its process gone) is taken over.
import { open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export class DataDirInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by process ${pid}. Stop that process first ` +
        `(or set DATABASE_URL to a PostgreSQL server, which any number of processes can share).`,
    );
    this.name = "DataDirInUseError";
  }
}

/** Takes the lock on `dir`; returns its release. Throws DataDirInUseError when another live process holds it. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, "collab.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (pid === process.pid) return async () => {}; // this process already holds it
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new DataDirInUseError(dir, pid);
      await writeFile(path, "").catch(() => undefined);
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
