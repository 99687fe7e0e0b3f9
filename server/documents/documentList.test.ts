// GET /api/documents pages through every document an account can open with a stable cursor
// (keyset on updatedAt, id) instead of stopping at a cap that hid the rest.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { databaseKinds } from "../testing/testDatabase.ts";
import { apiRequest, errorOf, startApiContext, type ApiTestContext } from "../testing/apiFixtures.ts";
import { signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { newDocumentId } from "../../lib/documentId.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";

interface Page {
  documents: { id: string; title: string; updatedAt: string }[];
  nextCursor: string | null;
}

const OWNED = 120;
const PAGE_SIZE = 7;

for (const kind of databaseKinds) {
  describe(`document list paging (${kind})`, () => {
    let context: ApiTestContext;
    let admin: TestAccount;
    let owner: TestAccount;
    let ownedIds: string[];
    let otherIds: string[];

    before(async () => {
      context = (await startApiContext(kind, { SIGNUP: "open" }))!;
      admin = await signUp(context.access, "Ada Admin");
      owner = await signUp(context.access, "Owen Owner");
      const stranger = await signUp(context.access, "Stan Stranger");
      // Groups of 10 share one updatedAt, so the id tie-break decides the order within a group
      // and the cursor must carry both.
      const base = Date.UTC(2030, 0, 1);
      const rows = Array.from({ length: OWNED }, (_, i) => ({
        id: newDocumentId(),
        title: `Doc ${i}`,
        ownerId: owner.id,
        updatedAt: new Date(base - Math.floor(i / 10) * 60_000),
      }));
      await context.database.prisma.document.createMany({ data: rows });
      ownedIds = rows.map((r) => r.id);
      const others = Array.from({ length: 5 }, (_, i) => ({ id: newDocumentId(), title: `Other ${i}`, ownerId: stranger.id }));
      await context.database.prisma.document.createMany({ data: others });
      otherIds = others.map((r) => r.id);
    });

    after(async () => {
      await context?.close();
    });

    async function listPage(account: TestAccount, query: string): Promise<Page> {
      const response = await documentsRoute.GET(apiRequest(`/api/documents${query}`, { account }));
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as Page;
    }

    async function listAll(account: TestAccount): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page = await listPage(account, `?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        assert.ok(page.documents.length <= PAGE_SIZE, `page of ${page.documents.length}`);
        ids.push(...page.documents.map((d) => d.id));
        cursor = page.nextCursor;
        pages++;
        assert.ok(pages <= 100, "paging does not end");
      } while (cursor);
      return { ids, pages };
    }

    test(`${OWNED} documents in pages of ${PAGE_SIZE}: each exactly once, newest first, nothing of others`, async () => {
      const { ids, pages } = await listAll(owner);
      assert.equal(pages, Math.ceil(OWNED / PAGE_SIZE));
      assert.equal(new Set(ids).size, ids.length, "no document twice");
      assert.deepEqual([...ids].sort(), [...ownedIds].sort(), "every owned document, and only those");
      // Same order as the database's (updatedAt desc, id asc).
      const expected = await context.database.prisma.document.findMany({
        where: { ownerId: owner.id },
        orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
        select: { id: true },
      });
      assert.deepEqual(ids, expected.map((d) => d.id));
    });

    test("an admin pages through everyone's documents", async () => {
      const { ids } = await listAll(admin);
      assert.equal(new Set(ids).size, ids.length);
      assert.deepEqual([...ids].sort(), [...ownedIds, ...otherIds].sort());
    });

    test("without parameters: the first page and a cursor to the rest", async () => {
      const page = await listPage(owner, "");
      assert.ok(page.documents.length > 0 && page.documents.length < OWNED, `first page of ${page.documents.length}`);
      assert.equal(typeof page.nextCursor, "string");
    });

    test("a malformed cursor or page size is 400", async () => {
      for (const query of ["?cursor=nonsense", "?cursor=%00", "?limit=0", "?limit=abc", "?limit=100000"]) {
        const response = await documentsRoute.GET(apiRequest(`/api/documents${query}`, { account: owner }));
        assert.equal(response.status, 400, query);
        assert.equal((await errorOf(response)).code, "bad_request", query);
      }
    });
  });
}
