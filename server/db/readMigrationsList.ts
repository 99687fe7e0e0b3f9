// Reads prisma/migrations into the engine's MigrationList, the same way the Prisma CLI does,
// so checksums and ordering match `prisma migrate deploy` exactly.
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { MigrationDirectory, MigrationList } from "@prisma/schema-engine-wasm";

/** Lock file name the CLI uses; `provider = "postgresql"` guards against a provider switch. */
export const MIGRATION_LOCK_FILE = "migration_lock.toml";

/** Default migrations folder, relative to the working directory (the project root at run time). */
export const DEFAULT_MIGRATIONS_DIR = "prisma/migrations";

/** Every `<dir>/migration.sql`, sorted by directory name (which starts with a timestamp). */
export async function readMigrationsList(migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationList> {
  const baseDir = resolve(migrationsDir);
  const lockContent = await readFile(/*turbopackIgnore: true*/ join(baseDir, MIGRATION_LOCK_FILE), "utf8").catch(() => null);
  const entries = await readdir(/*turbopackIgnore: true*/ baseDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const migrationDirectories: MigrationDirectory[] = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const content = await readFile(/*turbopackIgnore: true*/ join(baseDir, entry.name, "migration.sql"), "utf8").then(
      (value) => ({ tag: "ok" as const, value }),
      (error: Error) => ({ tag: "error" as const, value: error.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: "migration.sql", content } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir,
    lockfile: { path: MIGRATION_LOCK_FILE, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}
