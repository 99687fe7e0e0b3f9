// Automatic versions on the real server, with short timings: a burst of editing that ends gets
// a version while its author stays connected, and continuous editing gets one every
// maxSpanMs without waiting for a pause.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { connectClient, synced, waitFor } from "../testing/yClients.ts";
import { createLink, createOwnedDocument, signUp } from "../testing/accessFixtures.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import type { RunningServer } from "../startServer.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";

process.env.LOG_LEVEL = "silent";

const IDLE_MS = 300;
const MAX_SPAN_MS = 1_000;

for (const kind of databaseKinds) {
  describe(`automatic versions (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let ownerId: string;
    const providers: WebsocketProvider[] = [];

    before(async () => {
      db = (await createTestDatabase(kind))!;
      assert.ok(db, `${kind} database`);
      server = await startAppTestServer(db.options, { SIGNUP: "open" }, { historyTiming: { idleMs: IDLE_MS, maxSpanMs: MAX_SPAN_MS } });
      ownerId = (await signUp(server.access, "Olga Owner")).id;
    });

    after(async () => {
      for (const provider of providers) provider.destroy();
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    async function editor(name: string): Promise<{ id: string; provider: WebsocketProvider; text: Y.XmlText }> {
      const id = await createOwnedDocument(server.database.prisma, ownerId);
      const link = await createLink(server.database.prisma, id, "editor");
      const provider = connectClient(`ws://127.0.0.1:${server.port}/collab`, id, new Y.Doc(), { token: link.token, name });
      providers.push(provider);
      await synced(provider);
      const paragraph = new Y.XmlElement("paragraph");
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      provider.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph]);
      return { id, provider, text };
    }

    test("a burst that ends gets a version while its author stays, naming them", async () => {
      const { id, text } = await editor("Ann");
      text.insert(0, "A short burst.");
      await waitFor(async () => (await server.history.store.list(id)).length === 1, "a version after the pause");
      assert.ok(server.collab.rooms.peek(id), "the document is still open");
      const [version] = await server.history.store.list(id);
      assert.equal(version.kind, "auto");
      assert.deepEqual(version.authors.map((author) => author.name), ["Ann (guest)"]);
      // Nothing more happens while nobody edits.
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 3));
      assert.equal((await server.history.store.list(id)).length, 1);
    });

    test("continuous editing gets a version every maxSpanMs without a pause", async () => {
      const { id, text } = await editor("Ben");
      const started = Date.now();
      // Typing every 50 ms never leaves the idle time of 300 ms.
      while (Date.now() - started < MAX_SPAN_MS * 3.5) {
        text.insert(text.length, "x");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const duringTyping = (await server.history.store.list(id)).length;
      assert.ok(duringTyping >= 2, `${duringTyping} versions while typing`);
    });
  });
}
