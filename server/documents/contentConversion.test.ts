// The content API's conversions run in worker threads (server/documents/conversion): on the
// real server, importing and replacing 1 MB of Markdown and exporting the result leave the
// event loop free for everything else (a timer stays on time, within a generous bound that
// the old in-thread conversion, 1-2 s per request, would fail); busy converters answer 503
// with Retry-After and a converter that dies answers 500, each changing nothing and leaving the
// server serving.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { connectClient, synced, waitFor } from "../testing/yClients.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { largeMarkdown } from "../testing/largeMarkdown.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import type { RunningServer } from "../startServer.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import { ConversionPool } from "./conversion/ConversionPool.ts";
import { setLiveConversions } from "./conversion/liveConversions.ts";
import * as contentRoute from "../../app/api/documents/[id]/content/route.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";

process.env.LOG_LEVEL = "silent";

/** Longest a 10 ms timer may run late while the server converts 1 MB. The old in-thread
 *  conversion blocked for 1-2 s on an idle machine and 6 s at load average 17 on 2 cores; now
 *  each piece takes milliseconds, but this process also runs the test's own editor client, and
 *  a machine shared with other work delays any timer (up to 0.85 s observed at load average
 *  17): generous, so it cannot flake, yet failing the old behaviour. */
const MAX_TIMER_LATENESS_MS = 1_000;
const TIMER_INTERVAL_MS = 10;

/** Measures how late a repeating timer fires (the event loop's longest stall, seen from inside). */
function watchTimerLateness(): { stop(): number } {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - TIMER_INTERVAL_MS);
    last = now;
  }, TIMER_INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      return longest;
    },
  };
}

for (const kind of databaseKinds) {
  describe(`content conversion off the event loop (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let owner: TestAccount;
    const providers: WebsocketProvider[] = [];

    before(async () => {
      db = (await createTestDatabase(kind))!;
      assert.ok(db, `${kind} database`);
      server = await startAppTestServer(db.options, { SIGNUP: "open" });
      owner = await signUp(server.access, "Ida Importer");
      await server.conversions.warm();
    });

    after(async () => {
      for (const provider of providers) provider.destroy();
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    function request(path: string, init: { method?: string; contentType?: string; body?: string } = {}): Request {
      const headers: Record<string, string> = { cookie: owner.cookie };
      if (init.contentType) headers["content-type"] = init.contentType;
      return new Request(new URL(path, `http://127.0.0.1:${server.port}`), { method: init.method ?? "GET", headers, body: init.body });
    }
    const params = (id: string) => ({ params: Promise.resolve({ id }) });
    const put = (id: string, body: string) => contentRoute.PUT(request(`/api/documents/${id}/content`, { method: "PUT", contentType: "text/markdown", body }), params(id));
    const get = (id: string) => contentRoute.GET(request(`/api/documents/${id}/content?format=markdown`), params(id));
    const post = (body: string) => documentsRoute.POST(request("/api/documents", { method: "POST", contentType: "text/markdown", body }));

    // Defined on PostgreSQL only, not skipped on PGlite (a skip reads as a missing service): PGlite
    // runs its queries in this thread, and storing or loading a 1.7 MB state there blocks it for
    // 0.6-2 s by itself (measured on storage.append/load alone), whatever converts it; moving
    // PGlite off the main thread is issue 17's.
    const onPostgres = (kind === "postgres" ? test : () => undefined) as typeof test;
    onPostgres("importing 1 MB of Markdown, exporting it, and putting 1 MB into an open document keep a timer on time", async () => {
      const markdown = largeMarkdown(1_000_000);
      // An editor is connected to the document the PUT replaces, and receives every piece.
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      const link = await createLink(server.database.prisma, id, "editor");
      const editor = connectClient(`ws://127.0.0.1:${server.port}/collab`, id, new Y.Doc(), { token: link.token });
      providers.push(editor);
      await synced(editor);

      const lateness = watchTimerLateness();
      const created = await post(markdown);
      assert.equal(created.status, 201, await created.clone().text());
      const { id: createdId } = (await created.json()) as { id: string };
      const exported = await get(createdId);
      const replaced = await put(id, markdown);
      const longest = lateness.stop();

      assert.equal(await exported.text(), markdown);
      assert.equal(replaced.status, 200, await replaced.clone().text());
      await waitFor(() => editor.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).length > 1000, "the editor has the content");
      assert.ok(longest < MAX_TIMER_LATENESS_MS, `the event loop stalled for ${longest.toFixed(0)} ms`);

      // A revision of the large document is a small diff, not the whole document again.
      const revised = markdown.replace("## Section 1:", "## Section one:").replace("## Section 300:", "## Section three hundred:");
      const revisedPut = await put(id, revised);
      assert.equal(revisedPut.status, 200);
      const { updateBytes } = (await revisedPut.json()) as { updateBytes: number };
      assert.ok(updateBytes < 20_000, `the revision took ${updateBytes} bytes`);
      assert.equal(await (await get(id)).text(), revised);
    });

    test("with every converter busy and the queue full, a PUT answers 503 with Retry-After and changes nothing", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      assert.equal((await put(id, "Kept")).status, 200);
      const full = new ConversionPool({ workers: 1, maxQueued: 0 });
      setLiveConversions(full);
      try {
        await full.warm();
        const occupying = full.run({ kind: "import", format: "markdown", body: new TextEncoder().encode(largeMarkdown(200_000)), state: null });
        const refused = await put(id, "Replaced");
        assert.equal(refused.status, 503);
        assert.equal(refused.headers.get("retry-after"), "1");
        const { error } = (await refused.json()) as { error: { code: string; message: string } };
        assert.equal(error.code, "busy");
        assert.match(error.message, /try again/);
        await occupying;
      } finally {
        setLiveConversions(server.conversions);
        await full.close();
      }
      assert.equal(await (await get(id)).text(), "Kept");
    });

    test("a converter that dies (out of memory) answers 500, creates nothing, and the server goes on serving", async () => {
      const before = await server.database.prisma.document.count();
      const fragile = new ConversionPool({ workers: 1, resourceLimits: { maxOldGenerationSizeMb: 48 } });
      setLiveConversions(fragile);
      try {
        const failed = await post(largeMarkdown(1_000_000));
        assert.equal(failed.status, 500);
        const { error } = (await failed.json()) as { error: { code: string; message: string } };
        assert.equal(error.code, "conversion_failed");
        assert.match(error.message, /Nothing was changed/);
      } finally {
        setLiveConversions(server.conversions);
        await fragile.close();
      }
      assert.equal(await server.database.prisma.document.count(), before, "nothing was created");
      const next = await post("# After the crash");
      assert.equal(next.status, 201);
      assert.equal(((await next.json()) as { title: string }).title, "After the crash");
    });

    test("input that cannot be a document is 400 with the reason, and nothing is created", async () => {
      const before = await server.database.prisma.document.count();
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff]);
      const binary = await documentsRoute.POST(
        new Request(`http://127.0.0.1:${server.port}/api/documents`, { method: "POST", headers: { cookie: owner.cookie, "content-type": "text/markdown" }, body: png }),
      );
      assert.equal(binary.status, 400);
      assert.match(((await binary.json()) as { error: { message: string } }).error.message, /not valid UTF-8/);
      const nested = await documentsRoute.POST(request("/api/documents", { method: "POST", contentType: "text/html", body: "<div>".repeat(20_000) }));
      assert.equal(nested.status, 400);
      assert.match(((await nested.json()) as { error: { message: string } }).error.message, /HTML could not be read/);
      assert.equal(await server.database.prisma.document.count(), before);
      // Malformed but readable HTML is read the way a browser would, not refused.
      const sloppy = await documentsRoute.POST(request("/api/documents", { method: "POST", contentType: "text/html", body: "<h1>Notes<p>one <b>two</p></table>" }));
      assert.equal(sloppy.status, 201);
    });
  });
}
