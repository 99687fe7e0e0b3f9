// Opens the database the configuration asks for (PostgreSQL when a URL is given, else an
// embedded PGlite under the data directory) and migrates it before anyone can query it.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { Database } from "./Database.ts";
import { PrismaClient } from "./generated/client.ts";
import { applyMigrations } from "./migrate.ts";
import { lockDataDir } from "./dataDirLock.ts";
import { pgSqlClient, prismaSqlClient, type SqlClient } from "./SqlClient.ts";

/** Where to find the database: `databaseUrl` (PostgreSQL) wins; otherwise PGlite in `dataDir`. */
export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
}

/** Subfolder of the data directory that holds PGlite's files. */
export const PGLITE_SUBDIR = "pglite";

/** PostgreSQL's buffer cache inside PGlite. Its default (128 MB, which initdb writes) is
 *  touched memory of the WebAssembly instance, and a WebAssembly memory never shrinks: it is
 *  most of what the embedded database costs at rest. Pages not cached here are still in the
 *  operating system's file cache, one read away. */
const PGLITE_SHARED_BUFFERS = "32MB";

/** A migrated, connected Database. Call this once per process (see getDatabase.ts). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPGlite(join(options.dataDir, PGLITE_SUBDIR));
}

async function openPostgres(connectionString: string): Promise<Database> {
  const adapter = new PrismaPg({ connectionString });
  await applyMigrations(adapter);
  const sql = pgSqlClient(connectionString);
  return connect(adapter, "postgres", () => sql.close(), () => sql);
}

async function openPGlite(dir: string): Promise<Database> {
  await mkdir(dir, { recursive: true });
  // Never two PGlite instances on one directory, in a process (getDatabase.ts) or across
  // processes (the lock): they corrupt it.
  const unlock = await lockDataDir(dir);
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create({
      dataDir: dir,
      startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
    });
    const opened = pglite;
    const adapter = new PrismaPGlite(opened);
    await applyMigrations(adapter);
    return await connect(adapter, "pglite", () => opened.close().finally(unlock), prismaSqlClient);
  } catch (error) {
    await pglite?.close();
    await unlock();
    throw error;
  }
}

async function connect(
  adapter: SqlDriverAdapterFactory,
  kind: Database["kind"],
  closeDriver: () => Promise<void>,
  sqlClient: (prisma: PrismaClient) => SqlClient,
): Promise<Database> {
  const prisma = new PrismaClient({ adapter });
  await prisma.$connect();
  let closing: Promise<void> | undefined;
  return {
    prisma,
    sql: sqlClient(prisma),
    kind,
    close() {
      // Idempotent: shutdown paths (SIGTERM handler, tests' after hooks) may both call it.
      closing ??= prisma.$disconnect().finally(closeDriver);
      return closing;
    },
  };
}
