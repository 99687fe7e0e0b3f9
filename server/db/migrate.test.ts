// applyMigrations against PGlite and a real PostgreSQL: tables, `_prisma_migrations` rows as
// `prisma migrate deploy` writes them, idempotence, and failure recording.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { createTestDatabase, databaseKinds, type DatabaseKind, type TestDatabase } from "../testing/testDatabase.ts";
import { applyMigrations } from "./migrate.ts";

const MIGRATIONS_DIR = "prisma/migrations";

interface RawDatabase {
  factory: SqlDriverAdapterFactory;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

// A driver connection beside the adapter, to look at what the migrations did.
async function openRaw(kind: DatabaseKind, options: TestDatabase["options"]): Promise<RawDatabase> {
  if (kind === "pglite") {
    const pglite = await PGlite.create({ dataDir: join(options.dataDir, "pglite") });
    return {
      factory: new PrismaPGlite(pglite),
      query: async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows,
      close: () => pglite.close(),
    };
  }
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  return {
    factory: new PrismaPg({ connectionString: options.databaseUrl }),
    query: async (sql) => (await client.query(sql)).rows,
    close: () => client.end(),
  };
}

async function migrationNames(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

for (const kind of ["pglite", "postgres"] as const) {
  const skip = databaseKinds.includes(kind) ? false : "DATABASE_URL is unset; set it to test against PostgreSQL";
  describe(`applyMigrations on ${kind}`, { skip }, () => {
    let testDb: TestDatabase;
    let raw: RawDatabase;
    before(async () => {
      testDb = (await createTestDatabase(kind))!;
      raw = await openRaw(kind, testDb.options);
    });
    after(async () => {
      await raw?.close();
      await testDb?.drop();
    });

    it("applies every migration and records it like `prisma migrate deploy`", async () => {
      const expected = await migrationNames();
      assert.ok(expected.length > 0, "prisma/migrations has no migrations");
      assert.deepEqual(await applyMigrations(raw.factory), expected);

      const tables = await raw.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      assert.deepEqual(
        tables.map((t) => t.table_name),
        [
          "_prisma_migrations",
          "accounts",
          "comment_threads",
          "comments",
          "document_client_owners",
          "document_images",
          "document_members",
          "document_snapshots",
          "document_updates",
          "document_versions",
          "documents",
          "invitations",
          "notifications",
          "sessions",
          "settings",
          "share_links",
          "users",
          "verifications",
        ],
      );

      const rows = await raw.query(
        "SELECT migration_name, checksum, finished_at, rolled_back_at, logs, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
      );
      assert.deepEqual(rows.map((r) => r.migration_name), expected);
      for (const row of rows) {
        const sql = await readFile(join(MIGRATIONS_DIR, String(row.migration_name), "migration.sql"));
        // migrate deploy stores the lower-case hex SHA-256 of the file's bytes.
        assert.equal(row.checksum, createHash("sha256").update(sql).digest("hex"));
        assert.ok(row.finished_at instanceof Date, "finished_at is set");
        assert.equal(row.rolled_back_at, null);
        assert.equal(row.logs, null);
        assert.equal(row.applied_steps_count, 1);
      }
    });

    it("applies nothing the second time", async () => {
      assert.deepEqual(await applyMigrations(raw.factory), []);
      const [{ count }] = await raw.query("SELECT count(*)::int AS count FROM _prisma_migrations");
      assert.equal(count, (await migrationNames()).length);
    });

    it("records a failing migration as failed, not applied, and rejects", async () => {
      const dir = await mkdtemp(join(tmpdir(), "collab-migrations-"));
      try {
        await mkdir(join(dir, "20000101000000_broken"));
        await writeFile(join(dir, "20000101000000_broken", "migration.sql"), "CREATE TABLE broken_a (id int);\nSELECT nope FROM no_such_table;\n");
        await assert.rejects(applyMigrations(raw.factory, { migrationsDir: dir }), /no_such_table/i);
        const rows = await raw.query("SELECT finished_at, logs FROM _prisma_migrations WHERE migration_name = '20000101000000_broken'");
        assert.equal(rows.length, 1);
        assert.equal(rows[0].finished_at, null);
        assert.match(String(rows[0].logs), /no_such_table/i);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
