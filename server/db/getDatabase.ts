// The process-wide Database. Kept on globalThis, not in a module variable: Next.js bundles
// route handlers separately from the custom server, so this module can be loaded twice in
// one process, and two PGlite instances on one data directory corrupt it.
import type { Database } from "./Database.ts";
import { openDatabase } from "./openDatabase.ts";
import { databaseOptionsOf } from "../config.ts";

const globalForDatabase = globalThis as typeof globalThis & {
  __collabDatabase?: Promise<Database>;
};

/** The one Database of this process, opened (and migrated) from the environment on first use. */
export function getDatabase(): Promise<Database> {
  globalForDatabase.__collabDatabase ??= openDatabase(databaseOptionsOf()).catch((error: unknown) => {
    globalForDatabase.__collabDatabase = undefined; // a failed open must not stick: retry later
    throw error;
  });
  return globalForDatabase.__collabDatabase;
}

/** Installs the Database the custom server opened, so route handlers reuse it. */
export function setDatabase(db: Database): void {
  globalForDatabase.__collabDatabase = Promise.resolve(db);
}

/** Closes and forgets the process-wide Database (shutdown, tests); a no-op when none is open. */
export async function closeDatabase(): Promise<void> {
  const pending = globalForDatabase.__collabDatabase;
  globalForDatabase.__collabDatabase = undefined;
  if (!pending) return;
  const db = await pending.catch(() => undefined);
  await db?.close();
}
