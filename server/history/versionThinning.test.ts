// Thinning keeps what its policy promises and never breaks a chain: every version still listed
// after thinning (merged deltas, hidden keyframes) rebuilds to exactly what it was.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import { newDocumentId } from "../../lib/documentId.ts";
import { openDatabase } from "../db/openDatabase.ts";
import type { Database } from "../db/Database.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { deltaOf, keyframeOf, mergeDeletions, rebuild, type DeleteSet } from "./versionData.ts";
import { thinnedVersions, type ThinningCandidate } from "./versionThinning.ts";
import { VersionStore } from "./VersionStore.ts";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

test("policy: all of the last day, the last of each hour for a week, the last of each day after; named and latest kept", () => {
  const now = Date.UTC(2026, 10, 30, 12);
  const at = (id: string, ago: number, named = false): ThinningCandidate => ({ id, createdAt: now - ago, named });
  const versions = [
    at("old-day-a", 20 * DAY + 3 * HOUR),
    at("old-day-b", 20 * DAY + 2 * HOUR),
    at("old-named", 20 * DAY + 1 * HOUR, true),
    at("week-hour-a", 3 * DAY + 40 * 60_000),
    at("week-hour-b", 3 * DAY + 10 * 60_000),
    at("other-hour", 2 * DAY),
    at("today-a", 5 * HOUR),
    at("today-b", 5 * HOUR - 1),
  ];
  assert.deepEqual(thinnedVersions(versions, now), ["old-day-a", "week-hour-a"]);
  // The latest is never thinned, even when old.
  assert.deepEqual(thinnedVersions([at("a", 30 * DAY), at("b", 30 * DAY - 1)], now), ["a"]);
});

for (const kind of databaseKinds) {
  describe(`thinning on ${kind}`, () => {
    let testDb: TestDatabase;
    let db: Database;

    before(async () => {
      testDb = (await createTestDatabase(kind))!;
      db = await openDatabase(testDb.options);
    });
    after(async () => {
      await db.close();
      await testDb.drop();
    });

    test("every version left after thinning rebuilds exactly; thinned keyframes go once nothing builds on them", async () => {
      const store = new VersionStore(db.sql);
      const id = newDocumentId();
      await db.prisma.document.create({ data: { id } });
      const doc = new Y.Doc();
      const text = doc.getText("t");
      let deletions: DeleteSet[] = [];
      doc.on("afterTransaction", (transaction: Y.Transaction) => {
        if (transaction.deleteSet.clients.size > 0) deletions.push(transaction.deleteSet);
      });
      const expected = new Map<string, string>();
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        text.insert(text.length, `line ${i} `);
        if (i % 3 === 0) text.delete(0, 2);
        const version = await store.append(id, (tip) => {
          const keyframe = !tip || i % 10 === 0;
          const data = keyframe ? keyframeOf(doc) : deltaOf(doc, tip.stateVector, mergeDeletions(deletions));
          deletions = [];
          return { kind: i % 17 === 0 ? "named" : "auto", name: i % 17 === 0 ? `v${i}` : null, authors: [], keyframe, data, stateVector: Y.encodeStateVector(doc) };
        });
        expected.set(version!.id, text.toString());
        ids.push(version!.id);
      }
      // Spread them over 30 days, oldest first, so the policy thins most. A fixed "now": which
      // versions share a UTC day (the daily buckets) depends on the time of day they were made.
      const now = Date.UTC(2026, 10, 30, 18, 0);
      for (const [index, versionId] of ids.entries()) {
        await db.sql.query("UPDATE document_versions SET created_at = $2 WHERE id = $1", [versionId, new Date(now - (60 - index) * 12 * HOUR)]);
      }
      let thinned = 0;
      for (let pass = 0; pass < 3; pass++) thinned += await db.sql.transaction((tx) => store.thin(tx, id, now));
      assert.ok(thinned > 20, `thinned ${thinned}`);
      const left = await store.list(id);
      assert.ok(left.length < ids.length);
      for (const version of left) {
        const chain = await store.chain(id, version.id);
        assert.equal(rebuild(chain!.parts.map((part) => part.data)).getText("t").toString(), expected.get(version.id), `version ${version.id}`);
      }
      for (const i of [0, 17, 34, 51]) assert.ok(left.some((version) => version.id === ids[i]), `named v${i} kept`);
      // A hidden row is only ever a keyframe that a later delta still builds on.
      const rows = await db.sql.query<{ keyframe: boolean; hidden: boolean }>("SELECT keyframe, hidden FROM document_versions WHERE document_id = $1 ORDER BY seq", [id]);
      rows.forEach((row, index) => {
        if (row.hidden) assert.ok(row.keyframe && !rows[index + 1].keyframe, `hidden row ${index}`);
      });
    });
  });
}
