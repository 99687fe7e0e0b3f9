// SqlClient's statements with their own settings (search plans its statement without
// sequential scans): the settings hold for that statement, never leak into the others, on
// PGlite and PostgreSQL; a malformed setting is refused before anything runs.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import type { Database } from "./Database.ts";
import { openDatabase } from "./openDatabase.ts";

const SETTINGS_QUERY = "SELECT current_setting('enable_seqscan') AS seqscan, current_setting('enable_hashjoin') AS hashjoin, $1::int AS n";

for (const kind of databaseKinds) {
  describe(`SqlClient statement settings on ${kind}`, () => {
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

    it("applies them to the one statement, with its parameters, and to no other", async () => {
      const settings = { enable_seqscan: "off", enable_hashjoin: "off" };
      for (let i = 0; i < 3; i++) {
        // Several times, interleaved: pooled connections must not carry settings over.
        assert.deepEqual(await db.sql.query(SETTINGS_QUERY, [i], { settings }), [{ seqscan: "off", hashjoin: "off", n: i }]);
        const [plain] = await Promise.all([db.sql.query(SETTINGS_QUERY, [i]), db.sql.query(SETTINGS_QUERY, [i], { settings })]);
        assert.deepEqual(plain, [{ seqscan: "on", hashjoin: "on", n: i }]);
      }
      const inTransaction = await db.sql.transaction((tx) => tx.query<{ seqscan: string }>(SETTINGS_QUERY, [0]));
      assert.equal(inTransaction[0].seqscan, "on");
    });

    it("refuses a setting that is not a plain name and value", async () => {
      const malformed: Record<string, string>[] = [{ "enable_seqscan=off -c x": "on" }, { enable_seqscan: "off -c work_mem=1" }, { enable_seqscan: "" }];
      for (const settings of malformed) {
        await assert.rejects(db.sql.query("SELECT 1", [], { settings }), /invalid setting/);
      }
    });
  });
}
