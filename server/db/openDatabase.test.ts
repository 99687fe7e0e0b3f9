// openDatabase end to end on PGlite and PostgreSQL: migrated on open, Bytes and BigInt round
// trips through the generated client, and PGlite data surviving a close and reopen.
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import type { Database } from "./Database.ts";
import { openDatabase } from "./openDatabase.ts";

const BIG_SEQ = 2n ** 62n + 7n; // beyond Number.MAX_SAFE_INTEGER: must survive as a BigInt

for (const kind of ["pglite", "postgres"] as const) {
  const skip = databaseKinds.includes(kind) ? false : "DATABASE_URL is unset; set it to test against PostgreSQL";
  describe(`openDatabase on ${kind}`, { skip }, () => {
    let testDb: TestDatabase;
    let db: Database;
    before(async () => {
      testDb = (await createTestDatabase(kind))!;
      db = await openDatabase(testDb.options);
    });
    after(async () => {
      await db?.close();
      await testDb?.drop();
    });

    it("reports its kind and is migrated", async () => {
      assert.equal(db.kind, kind);
      const rows = await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
      assert.ok(rows[0].n >= 1);
    });

    it("round-trips a document, its update log and its snapshot", async () => {
      const { prisma } = db;
      const update1 = new Uint8Array([1, 2, 3, 0, 255]);
      const update2 = new Uint8Array(4096).map((_, i) => i % 256);
      await prisma.document.create({
        data: { id: "doc-1", title: "Hello", updates: { create: [{ update: update1 }, { update: update2 }] } },
      });
      const updates = await prisma.documentUpdate.findMany({ where: { documentId: "doc-1" }, orderBy: { seq: "asc" } });
      assert.equal(updates.length, 2);
      assert.equal(typeof updates[0].seq, "bigint");
      assert.ok(updates[1].seq > updates[0].seq);
      assert.deepEqual(new Uint8Array(updates[0].update), update1);
      assert.deepEqual(new Uint8Array(updates[1].update), update2);

      await prisma.documentSnapshot.create({
        data: { documentId: "doc-1", state: update2, stateVector: new Uint8Array([9]), upToSeq: BIG_SEQ },
      });
      const doc = await prisma.document.findUniqueOrThrow({ where: { id: "doc-1" }, include: { snapshot: true } });
      assert.equal(doc.title, "Hello");
      assert.ok(doc.createdAt instanceof Date);
      assert.equal(doc.snapshot?.upToSeq, BIG_SEQ);
      assert.deepEqual(new Uint8Array(doc.snapshot!.stateVector), new Uint8Array([9]));

      // Deleting the document cascades to its log and snapshot (onDelete: Cascade).
      await prisma.document.delete({ where: { id: "doc-1" } });
      assert.equal(await prisma.documentUpdate.count({ where: { documentId: "doc-1" } }), 0);
      assert.equal(await prisma.documentSnapshot.count(), 0);
    });

    it("close() is idempotent", async () => {
      const other = await openDatabase(kind === "postgres" ? testDb.options : { dataDir: `${testDb.options.dataDir}/second` });
      await Promise.all([other.close(), other.close()]);
      await other.close();
    });
  });
}

describe("openDatabase on pglite, across restarts", () => {
  let testDb: TestDatabase;
  before(async () => {
    testDb = (await createTestDatabase("pglite"))!;
  });
  after(async () => {
    await testDb?.drop();
  });

  it("keeps committed data in the data directory after close and reopen", async () => {
    const first = await openDatabase(testDb.options);
    try {
      await first.prisma.document.create({
        data: { id: "kept", title: "Survives", updates: { create: { update: new Uint8Array([42]) } } },
      });
    } finally {
      await first.close();
    }
    const second = await openDatabase(testDb.options);
    try {
      const doc = await second.prisma.document.findUniqueOrThrow({ where: { id: "kept" }, include: { updates: true } });
      assert.equal(doc.title, "Survives");
      assert.deepEqual(new Uint8Array(doc.updates[0].update), new Uint8Array([42]));
      const [{ n }] = await second.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM _prisma_migrations`;
      const migrations = (await readdir("prisma/migrations", { withFileTypes: true })).filter((entry) => entry.isDirectory()).length;
      assert.equal(n, migrations, "reopening applied no migration twice");
    } finally {
      await second.close();
    }
  });
});
