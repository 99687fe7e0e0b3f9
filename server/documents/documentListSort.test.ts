// GET /api/documents?sort=&filter=: the list by title (case-insensitive, paged on the title's
// own key), "Owned by me" / "Shared with me", and each document's owner and last editor.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { databaseKinds } from "../testing/testDatabase.ts";
import { apiRequest, errorOf, startApiContext, type ApiTestContext } from "../testing/apiFixtures.ts";
import { createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";

interface Listed {
  id: string;
  title: string;
  updatedAt: string;
  owner: { id: string; name: string } | null;
  lastEditor: { id: string; name: string } | null;
}
interface Page {
  documents: Listed[];
  nextCursor: string | null;
}

for (const kind of databaseKinds) {
  describe(`document list sort and filters (${kind})`, () => {
    let context: ApiTestContext;
    let owner: TestAccount;
    let colleague: TestAccount;
    const prisma = () => context.database.prisma;

    before(async () => {
      context = (await startApiContext(kind, { SIGNUP: "open" }))!;
      await signUp(context.access, "Ada Admin"); // the first account is the admin
      owner = await signUp(context.access, "Owen Owner");
      colleague = await signUp(context.access, "Cleo Colleague");
    });

    after(async () => {
      await context?.close();
    });

    async function listPage(account: TestAccount, query: string): Promise<Page> {
      const response = await documentsRoute.GET(apiRequest(`/api/documents${query}`, { account }));
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as Page;
    }

    async function listAll(account: TestAccount, query: string, limit: number): Promise<Listed[]> {
      const seen: Listed[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page = await listPage(account, `?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        assert.ok(page.documents.length <= limit);
        seen.push(...page.documents);
        cursor = page.nextCursor;
        assert.ok(++pages <= 100, "paging ends");
      } while (cursor);
      return seen;
    }

    test("sort=title: A to Z ignoring case, ties by id, each document once across pages", async () => {
      const sorter = await signUp(context.access, "Sam Sorter");
      // Duplicates and case variants straddle page boundaries; the cursor carries title and id.
      const titles = ["banana", "Apple", "apple", "Cherry", "apple", "Banana", "Ölkanne", "zebra", "Zebra", "éclair", "42 things", "apple"];
      const made = new Map<string, string>();
      for (const title of titles) made.set(await createOwnedDocument(prisma(), sorter.id, title), title);
      const listed = await listAll(sorter, "sort=title", 3);
      assert.equal(listed.length, titles.length);
      assert.equal(new Set(listed.map((d) => d.id)).size, titles.length, "each once");
      const keys = listed.map((d) => d.title.toLowerCase());
      const expected = [...titles].map((t) => t.toLowerCase()).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      assert.deepEqual(keys, expected, "case-insensitive, then by code point");
      for (let i = 1; i < listed.length; i++) {
        if (keys[i] === keys[i - 1]) assert.ok(listed[i - 1].id < listed[i].id, "ties by id");
      }
    });

    test("sort=updated (the default) keeps its order and its cursors; a cursor of the other sort is refused", async () => {
      const pager = await signUp(context.access, "Pia Pager");
      const base = Date.UTC(2032, 0, 1);
      const ids: string[] = [];
      for (let i = 0; i < 9; i++) {
        const id = await createOwnedDocument(prisma(), pager.id, `U ${i}`);
        await prisma().document.update({ where: { id }, data: { updatedAt: new Date(base - Math.floor(i / 3) * 1000) } });
        ids.push(id);
      }
      const byDefault = await listAll(pager, "", 4);
      const explicit = await listAll(pager, "sort=updated", 4);
      assert.deepEqual(byDefault.map((d) => d.id), explicit.map((d) => d.id));
      const expected = await prisma().document.findMany({
        where: { ownerId: pager.id },
        orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
        select: { id: true },
      });
      assert.deepEqual(byDefault.map((d) => d.id), expected.map((d) => d.id));

      const titleCursor = (await listPage(pager, "?sort=title&limit=2")).nextCursor!;
      const updatedCursor = (await listPage(pager, "?sort=updated&limit=2")).nextCursor!;
      for (const query of [`?sort=updated&cursor=${encodeURIComponent(titleCursor)}`, `?sort=title&cursor=${encodeURIComponent(updatedCursor)}`]) {
        const response = await documentsRoute.GET(apiRequest(`/api/documents${query}`, { account: pager }));
        assert.equal(response.status, 400, query);
        assert.match((await errorOf(response)).message, /same sort/);
      }
    });

    test("filter=owned and filter=shared split what the account can open", async () => {
      const mine = await createOwnedDocument(prisma(), colleague.id, "Mine");
      const theirs = await createOwnedDocument(prisma(), owner.id, "Shared with Cleo");
      await prisma().documentMember.create({ data: { documentId: theirs, userId: colleague.id, role: "editor" } });
      const hidden = await createOwnedDocument(prisma(), owner.id, "Not shared");

      const all = (await listAll(colleague, "filter=all", 50)).map((d) => d.id);
      const owned = (await listAll(colleague, "filter=owned", 50)).map((d) => d.id);
      const shared = (await listAll(colleague, "filter=shared&sort=title", 50)).map((d) => d.id);
      assert.deepEqual(new Set(all), new Set([mine, theirs]));
      assert.deepEqual(owned, [mine]);
      assert.deepEqual(shared, [theirs]);
      assert.ok(!all.includes(hidden));
    });

    test("each document carries its owner and last editor by name", async () => {
      const id = await createOwnedDocument(prisma(), owner.id, "Edited by Cleo");
      await prisma().document.update({ where: { id }, data: { lastEditorId: colleague.id } });
      const untouched = await createOwnedDocument(prisma(), owner.id, "Nobody edited");
      const listed = await listAll(owner, "sort=title", 50);
      const edited = listed.find((d) => d.id === id)!;
      assert.deepEqual(edited.owner, { id: owner.id, name: "Owen Owner" });
      assert.deepEqual(edited.lastEditor, { id: colleague.id, name: "Cleo Colleague" });
      assert.equal(listed.find((d) => d.id === untouched)!.lastEditor, null);
      assert.match(edited.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, "an instant; the viewer's browser formats it");
    });

    test("bad sort, filter or cursor is a 400 with a message; trash=1 keeps working", async () => {
      for (const query of ["?sort=name", "?sort=", "?filter=mine", "?cursor=t%2B%2B.abc", "?sort=title&cursor=tAAA", "?trash=1&sort=title"]) {
        const response = await documentsRoute.GET(apiRequest(`/api/documents${query}`, { account: owner }));
        assert.equal(response.status, 400, query);
        assert.equal((await errorOf(response)).code, "bad_request", query);
      }
      assert.equal((await documentsRoute.GET(apiRequest("/api/documents?trash=1", { account: owner }))).status, 200);
    });
  });
}
