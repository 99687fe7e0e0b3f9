// Throwaway databases for tests: a fresh PGlite directory, or a fresh database on the
// PostgreSQL server named by DATABASE_URL (used as the admin connection, never written to).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** Which engine a test database runs on. */
export type DatabaseKind = "pglite" | "postgres";

/** Options for openDatabase() plus how to remove everything the test database left. */
export interface TestDatabase {
  options: { databaseUrl?: string; dataDir: string };
  drop(): Promise<void>;
}

/** Kinds to run database tests against: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const databaseKinds: DatabaseKind[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/** A fresh, empty test database; null for "postgres" when DATABASE_URL is unset (skip the test). */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase | null> {
  const dataDir = await mkdtemp(join(tmpdir(), "collab-test-"));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  if (kind === "pglite") return { options: { dataDir }, drop: removeDataDir };

  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    await removeDataDir();
    return null;
  }
  // Lower-case letters, digits and `_` only, so the name needs no quoting rules beyond "".
  const name = `test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString(), dataDir },
    async drop() {
      await withAdmin(adminUrl, async (admin) => {
        // A test that forgot to close its pool must not make DROP DATABASE fail.
        await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      });
      await removeDataDir();
    },
  };
}

async function withAdmin<T>(adminUrl: string, use: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}
