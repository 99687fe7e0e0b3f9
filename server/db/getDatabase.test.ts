// getDatabase keeps ONE Database per process, even when its module is loaded twice (as
// Next.js does with route-handler bundles next to the custom server).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { closeDatabase, getDatabase, setDatabase } from "./getDatabase.ts";
import { openDatabase } from "./openDatabase.ts";

describe("getDatabase", () => {
  let testDb: TestDatabase;
  const savedEnv = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR };
  before(async () => {
    testDb = (await createTestDatabase("pglite"))!;
    delete process.env.DATABASE_URL; // this test is about the singleton, on PGlite
    process.env.DATA_DIR = testDb.options.dataDir;
  });
  after(async () => {
    await closeDatabase();
    Object.assign(process.env, savedEnv);
    if (savedEnv.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
    if (savedEnv.DATA_DIR === undefined) delete process.env.DATA_DIR;
    await testDb?.drop();
  });

  it("opens one PGlite from DATA_DIR, shared by concurrent callers and a second copy of the module", async () => {
    // A different URL makes Node evaluate the module again: a second, independent module copy.
    const copy = (await import(`./getDatabase.ts?copy=${Date.now()}`)) as typeof import("./getDatabase.ts");
    assert.notEqual(copy.getDatabase, getDatabase);
    const [a, b, c] = await Promise.all([getDatabase(), getDatabase(), copy.getDatabase()]);
    assert.equal(a, b);
    assert.equal(a, c);
    assert.equal(a.kind, "pglite");
    assert.equal(await a.prisma.document.count(), 0);
  });

  it("closeDatabase closes it, and setDatabase installs a Database opened elsewhere", async () => {
    const first = await getDatabase();
    await closeDatabase();
    const installed = await openDatabase({ dataDir: testDb.options.dataDir });
    setDatabase(installed);
    assert.equal(await getDatabase(), installed);
    assert.notEqual(installed, first);
    await installed.prisma.document.create({ data: { id: "via-set" } });
    assert.equal(await (await getDatabase()).prisma.document.count(), 1);
  });
});
