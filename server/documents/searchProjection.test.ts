// Search through the real path: a stock y-websocket client types into a document, the server's
// projection (server/documents/DocumentProjection.ts, debounced) writes title and content_text,
// the trigger indexes them, and GET /api/documents?q= finds the words with the typist as the
// last editor; an edit that removes a word makes the document unfindable by it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { connectClient, synced, waitFor } from "../testing/yClients.ts";
import { createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import type { RunningServer } from "../startServer.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import { documentTitleText, setTitleText } from "../../lib/editor/documentTitleText.ts";
import { DEFAULT_DOCUMENT_TITLE } from "../../lib/documents/documentTitle.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";

process.env.LOG_LEVEL = "silent";

interface Hit {
  id: string;
  lastEditor: { id: string; name: string } | null;
  snippet: { text: string; match: boolean }[];
}

for (const kind of databaseKinds) {
  describe(`search through the projection (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let owner: TestAccount;
    let provider: WebsocketProvider | null = null;

    before(async () => {
      db = (await createTestDatabase(kind))!;
      server = await startAppTestServer(db.options, { SIGNUP: "open" }, { projectionTiming: { debounceMs: 300, maxDelayMs: 1_000 } });
      await server.projectionBackfill.done;
      await signUp(server.access, "Ada Admin");
      owner = await signUp(server.access, "Olga Owner");
    });

    after(async () => {
      provider?.destroy();
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    async function search(query: string): Promise<Hit[]> {
      const response = await documentsRoute.GET(
        new Request(`http://127.0.0.1:${server.port}/api/documents?q=${encodeURIComponent(query)}`, { headers: { cookie: owner.cookie } }),
      );
      assert.equal(response.status, 200, await response.clone().text());
      return ((await response.json()) as { documents: Hit[] }).documents;
    }

    test("typed words are found once projected, and not after they are deleted", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id, DEFAULT_DOCUMENT_TITLE);
      const doc = new Y.Doc();
      provider = connectClient(`ws://127.0.0.1:${server.port}/collab`, id, doc, {}, { cookie: owner.cookie });
      await synced(provider);
      const paragraph = new Y.XmlElement("paragraph");
      const text = new Y.XmlText("The okapi grazes at dawn.");
      paragraph.insert(0, [text]);
      doc.transact(() => {
        setTitleText(documentTitleText(doc), "Field notes");
        doc.getXmlFragment(EDITOR_FRAGMENT_NAME).push([paragraph]);
      });

      let hits: Hit[] = [];
      await waitFor(async () => (hits = await search("okapi")).length === 1, "the typed word is found");
      assert.equal(hits[0].id, id);
      assert.deepEqual(hits[0].lastEditor, { id: owner.id, name: "Olga Owner" });
      assert.deepEqual(hits[0].snippet.filter((p) => p.match).map((p) => p.text), ["okapi"]);
      assert.equal((await search("field notes")).length, 1, "the live title is searched too");

      text.delete(4, "okapi ".length);
      text.insert(4, "zebra ");
      await waitFor(async () => (await search("zebra")).length === 1, "the new word is found");
      assert.deepEqual(await search("okapi"), [], "the deleted word is not");
    });
  });
}
