// GET /api/documents?q=: full-text search over titles and content (documents.content_text,
// written here directly as the server's projection would) of the documents the caller can
// open, ranked, with marked snippets, the last word as a prefix, paged by (rank, id).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { databaseKinds } from "../testing/testDatabase.ts";
import { apiRequest, errorOf, startApiContext, type ApiTestContext } from "../testing/apiFixtures.ts";
import { createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";
import { SEARCH_CANDIDATES } from "./searchDocuments.ts";

interface Hit {
  id: string;
  title: string;
  updatedAt: string;
  owner: { id: string; name: string } | null;
  lastEditor: { id: string; name: string } | null;
  titleParts: { text: string; match: boolean }[];
  snippet: { text: string; match: boolean }[];
}
interface Results {
  documents: Hit[];
  nextCursor: string | null;
  capped: boolean;
}

for (const kind of databaseKinds) {
  describe(`document search (${kind})`, () => {
    let context: ApiTestContext;
    let admin: TestAccount;
    let owner: TestAccount;
    let member: TestAccount;
    let stranger: TestAccount;
    const prisma = () => context.database.prisma;

    before(async () => {
      context = (await startApiContext(kind, { SIGNUP: "open" }))!;
      admin = await signUp(context.access, "Ada Admin");
      owner = await signUp(context.access, "Owen Owner");
      member = await signUp(context.access, "Mia Member");
      stranger = await signUp(context.access, "Stan Stranger");
    });

    after(async () => {
      await context?.close();
    });

    async function document(ownerId: string, title: string, contentText: string): Promise<string> {
      const id = await createOwnedDocument(prisma(), ownerId, title);
      await prisma().document.update({ where: { id }, data: { contentText } });
      return id;
    }

    async function search(account: TestAccount, query: string): Promise<Results> {
      const response = await documentsRoute.GET(apiRequest(`/api/documents?${query}`, { account }));
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as Results;
    }

    const ids = (results: Results) => results.documents.map((d) => d.id);

    test("a title match ranks above a content match; both found, others not", async () => {
      const inContent = await document(owner.id, "Weekly notes", "We talked about the quarterly zephyrine budget at length.");
      const inTitle = await document(owner.id, "Zephyrine launch plan", "Dates and owners.");
      await document(owner.id, "Unrelated", "Nothing to see here.");
      const results = await search(owner, "q=zephyrine");
      assert.deepEqual(ids(results), [inTitle, inContent]);
      assert.deepEqual(results.documents[0].titleParts, [
        { text: "Zephyrine", match: true },
        { text: " launch plan", match: false },
      ]);
      assert.deepEqual(results.documents[1].titleParts, [{ text: "Weekly notes", match: false }]);
      assert.equal(results.nextCursor, null);
    });

    test("a match in the opening lines ranks above one deep in the text", async () => {
      const filler = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
      const deep = await document(owner.id, "Deep", `${filler} kinkajou ${filler}`);
      const early = await document(owner.id, "Early", `The kinkajou opens this note. ${filler}`);
      assert.deepEqual(ids(await search(owner, "q=kinkajou")), [early, deep]);
    });

    test("every word must match; case and accents as typed match the stored text in any script", async () => {
      const both = await document(owner.id, "Travel", "Meeting in Zürich, then a train to Genève.");
      await document(owner.id, "Travel too", "Meeting in Zürich only.");
      assert.deepEqual(ids(await search(owner, "q=ZÜRICH%20gen%C3%A8ve")), [both]);
      const japanese = await document(owner.id, "日本語", "これは日本語の文書です");
      assert.deepEqual(ids(await search(owner, `q=${encodeURIComponent("日本語")}`)), [japanese]);
    });

    test("the snippet marks the matches and carries the content as text, never markup", async () => {
      const id = await document(
        owner.id,
        "Snippet",
        "Intro words before. <script>alert(1)</script> The marmoset sleeps in the <b>afternoon</b> sun.",
      );
      const [hit] = (await search(owner, "q=marmoset")).documents;
      assert.equal(hit.id, id);
      const marked = hit.snippet.filter((p) => p.match).map((p) => p.text);
      assert.deepEqual(marked, ["marmoset"]);
      const text = hit.snippet.map((p) => p.text).join("");
      assert.match(text, /<script>alert\(1\)<\/script>/, "markup in the content is plain text in the snippet");
      assert.ok(!/[\u0002\u0003]/.test(text), "no sentinel left in the parts");
      assert.deepEqual(hit.owner, { id: owner.id, name: "Owen Owner" });
      // What looks like a tag is text someone wrote: searchable, and marked like any word.
      const [tagHit] = (await search(owner, "q=script")).documents;
      assert.equal(tagHit.id, id);
      assert.ok(tagHit.snippet.some((p) => p.match && p.text === "script"));
    });

    test("a match deep in a long document gets its snippet from there, marked, after an ellipsis", async () => {
      const filler = Array.from({ length: 3000 }, (_, i) => `filler${i}`).join(" ");
      const id = await document(owner.id, "Long", `${filler} the capybara swims. ${filler}`);
      const [hit] = (await search(owner, "q=capybara")).documents;
      assert.equal(hit.id, id);
      assert.equal(hit.snippet[0].text, "… ");
      assert.deepEqual(hit.snippet.filter((p) => p.match).map((p) => p.text), ["capybara"]);
      assert.ok(hit.snippet.map((p) => p.text).join("").length < 400, "a snippet, not the document");
    });

    test("the last word matches as a prefix (from three letters), earlier words whole", async () => {
      const id = await document(owner.id, "Teamwork", "Real-time collaboration without conflicts.");
      assert.deepEqual(ids(await search(owner, "q=collab")), [id], "prefix of the last word");
      assert.deepEqual(ids(await search(owner, "q=real%20collab")), [id]);
      assert.deepEqual(ids(await search(owner, "q=collab%20conflicts")), [], "an earlier word is matched whole");
      assert.deepEqual(ids(await search(owner, "q=co")), [], "two letters match whole words only");
    });

    test("query syntax is never interpreted: operators and quotes are just separators", async () => {
      const id = await document(owner.id, "Operators", "alpha beta gamma");
      for (const q of ["alpha & | ! ( ) <-> beta", "'alpha' :* beta", "alpha\\ beta", "alpha'); DROP TABLE documents; --"]) {
        const results = await search(owner, `q=${encodeURIComponent(q)}`);
        assert.ok(ids(results).includes(id) || q.includes("DROP"), q);
      }
      assert.deepEqual(ids(await search(owner, "q=%21%21%21")), [], "no word: nothing found, no error");
      assert.ok(await prisma().document.count({ where: { id } }));
    });

    test("only documents the caller can open: owner, member, workspace role, admin", async () => {
      const ownedByOwner = await document(owner.id, "Quokka report", "");
      const ownedByStranger = await document(stranger.id, "Quokka secrets", "");
      const shared = await document(stranger.id, "Quokka shared", "");
      await prisma().documentMember.create({ data: { documentId: shared, userId: member.id, role: "viewer" } });

      assert.deepEqual(new Set(ids(await search(owner, "q=quokka"))), new Set([ownedByOwner]));
      assert.deepEqual(new Set(ids(await search(member, "q=quokka"))), new Set([shared]));
      assert.deepEqual(new Set(ids(await search(stranger, "q=quokka"))), new Set([ownedByStranger, shared]));
      assert.deepEqual(new Set(ids(await search(admin, "q=quokka"))), new Set([ownedByOwner, ownedByStranger, shared]));
      assert.deepEqual(new Set(ids(await search(member, "q=quokka&filter=shared"))), new Set([shared]));
      assert.deepEqual(ids(await search(member, "q=quokka&filter=owned")), []);
      assert.deepEqual(new Set(ids(await search(stranger, "q=quokka&filter=owned"))), new Set([ownedByStranger, shared]));

      const reader = await signUp(context.access, "Rita Reader");
      await prisma().user.update({ where: { id: reader.id }, data: { workspaceRole: "viewer" } });
      assert.deepEqual(new Set(ids(await search(reader, "q=quokka"))), new Set([ownedByOwner, ownedByStranger, shared]));
    });

    test("a document in Trash is never found, and is again once restored", async () => {
      const id = await document(owner.id, "Wombat", "wombat burrow");
      assert.deepEqual(ids(await search(owner, "q=wombat")), [id]);
      await prisma().document.update({ where: { id }, data: { trashedAt: new Date() } });
      assert.deepEqual(ids(await search(owner, "q=wombat")), []);
      assert.deepEqual(ids(await search(admin, "q=wombat")), []);
      await prisma().document.update({ where: { id }, data: { trashedAt: null } });
      assert.deepEqual(ids(await search(owner, "q=wombat")), [id]);
    });

    test("renaming and new content are found at once (the index follows title and content_text)", async () => {
      const id = await document(owner.id, "Before", "old words");
      await prisma().document.update({ where: { id }, data: { title: "Pangolin" } });
      assert.deepEqual(ids(await search(owner, "q=pangolin")), [id]);
      await prisma().document.update({ where: { id }, data: { contentText: "now about axolotls" } });
      assert.deepEqual(ids(await search(owner, "q=axolotls")), [id]);
      assert.deepEqual(ids(await search(owner, "q=old%20words")), []);
    });

    test("a huge projection is stored and found (only the indexed head counts)", async () => {
      // 1.2 MB of distinct words: its full tsvector would exceed PostgreSQL's 1 MB limit.
      const words = Array.from({ length: 120_000 }, (_, i) => `w${i.toString(36)}x`).join(" ");
      const id = await document(owner.id, "Huge", `narwhal ${words}`);
      assert.deepEqual(ids(await search(owner, "q=narwhal")), [id]);
    });

    test("results page by rank then id: each exactly once, in rank order", async () => {
      const pager = await signUp(context.access, "Paula Pager");
      const made: string[] = [];
      // Groups of documents with identical text rank equally: the id tie-break holds the order.
      for (let i = 0; i < 23; i++) {
        const repeats = 1 + Math.floor(i / 5);
        made.push(await document(pager.id, `Page ${i}`, `${"ocelot ".repeat(repeats)} filler text number ${i}`));
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Results = await search(pager, `q=ocelot&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        assert.ok(page.documents.length <= 5);
        seen.push(...page.documents.map((d) => d.id));
        cursor = page.nextCursor;
        assert.ok(++pages <= 10, "paging ends");
      } while (cursor);
      assert.equal(pages, 5);
      assert.equal(new Set(seen).size, seen.length, "no document twice");
      assert.deepEqual([...seen].sort(), [...made].sort(), "every match");
      const all = await search(pager, "q=ocelot&limit=50");
      assert.deepEqual(seen, ids(all), "same order as one big page");
      // More occurrences rank higher: the last group (5 repeats) comes first.
      assert.ok(made.slice(20).every((id) => seen.indexOf(id) < 3), "the most frequent first");
    });

    test("a word cut by the end of the opening lines is not a word of the document", async () => {
      // The opening (ranking, and the index that finds the best candidates) ends at character
      // 400, inside "wolverine": "wol" must not become a word the document seems to contain.
      const id = await document(owner.id, "Yak", `${"a".repeat(396)} wolverine`);
      assert.deepEqual(ids(await search(owner, "q=wolverine%20yak")), [id]);
      assert.deepEqual(ids(await search(owner, "q=wol%20yak")), [], "an earlier word is matched whole");
      assert.deepEqual(ids(await search(owner, "q=yak%20wol")), [id], "the last word, as a prefix, does match");
    });

    test("a query matching more documents than are ranked: the title match still first, the page says capped", async () => {
      const many = await signUp(context.access, "Manny Many");
      // SEARCH_CANDIDATES documents with the word deep in their text, stored first, then one
      // with it in the title: the first candidates in storage order are all body matches.
      const filler = "lorem ipsum dolor sit amet ".repeat(20);
      const count = SEARCH_CANDIDATES;
      await context.database.sql.query(
        `INSERT INTO documents (id, title, content_text, owner_id, updated_at)
         SELECT 'tapirbody' || n, 'Body ' || n, $1 || ' tapir', $2, now() FROM generate_series(1, $3::int) AS n`,
        [filler, many.id, count],
      );
      const titled = await document(many.id, "Tapir sightings", `${filler} nothing else`);
      const results = await search(many, "q=tapir");
      assert.equal(results.documents[0].id, titled, "found through the opening lines' index, ranked first");
      assert.equal(results.capped, true);
      assert.ok(results.nextCursor, "more pages of candidates");
      // A query with few matches is exact and not capped.
      assert.equal((await search(many, "q=sightings")).capped, false);
      assert.deepEqual(ids(await search(many, "q=sightings")), [titled]);
      // Someone who can open none of them finds none, capped or not.
      const outsider = await search(member, "q=tapir");
      assert.deepEqual(outsider.documents, []);
      assert.equal(outsider.capped, false);
    });

    test("bad input is a 400 with a message", async () => {
      for (const query of ["q=", "q=%20%20", `q=${"a".repeat(201)}`, "q=x&sort=title", "q=x&cursor=123.abc", "q=x&cursor=r1", "q=x&filter=mine", "q=x&trash=1"]) {
        const response = await documentsRoute.GET(apiRequest(`/api/documents?${query}`, { account: owner }));
        assert.equal(response.status, 400, query);
        const error = await errorOf(response);
        assert.equal(error.code, "bad_request", query);
        assert.ok(error.message.length > 0);
      }
      const signedOut = await documentsRoute.GET(apiRequest("/api/documents?q=x"));
      assert.equal(signedOut.status, 401);
    });
  });
}
