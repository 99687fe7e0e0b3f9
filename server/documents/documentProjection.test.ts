// The live title and the documents row's projection, on the real server with real y-websocket
// clients: the title is a Y.Text in the Y.Doc that stock clients read and set; edits reach the
// row (title, content_text, last_editor_id, projected_at) debounced, at once on unload and at
// shutdown; a viewer's rename is refused; PATCH renames the live document; documents from before
// (title only in the row, never projected) are seeded and projected by the start-up backfill.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { connectClient, synced, waitFor } from "../testing/yClients.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { openDatabase } from "../db/openDatabase.ts";
import type { RunningServer } from "../startServer.ts";
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import { DOCUMENT_TITLE_TEXT_NAME, documentTitleText, setTitleText } from "../../lib/editor/documentTitleText.ts";
import { DEFAULT_DOCUMENT_TITLE } from "../../lib/documents/documentTitle.ts";
import { titleSeedUpdate } from "./DocumentProjectionSeed.ts";
import * as documentRoute from "../../app/api/documents/[id]/route.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";

process.env.LOG_LEVEL = "silent";

/** Never fires within a test: what is projected was projected by something else (unload, shutdown, PATCH). */
const NO_DEBOUNCE = { debounceMs: 600_000, maxDelayMs: 600_000 };

interface Row {
  title: string;
  contentText: string;
  projectedAt: Date | null;
  lastEditorId: string | null;
}

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement("paragraph");
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

function appendParagraph(doc: Y.Doc, text: string): void {
  doc.getXmlFragment(EDITOR_FRAGMENT_NAME).push([paragraph(text)]);
}

/** A stored Y.Doc state with the given paragraphs and, when given, a title text. */
function storedState(paragraphs: string[], title?: string): Uint8Array {
  const doc = new Y.Doc();
  for (const text of paragraphs) appendParagraph(doc, text);
  if (title !== undefined) setTitleText(documentTitleText(doc), title);
  return Y.encodeStateAsUpdate(doc);
}

/** Harness shared by the describes: a server, its accounts, and clients closed at the end. */
function harness(
  kind: (typeof databaseKinds)[number],
  options: Parameters<typeof startAppTestServer>[2],
  { seed, backfillFirst = false }: { seed?: (db: TestDatabase) => Promise<void>; backfillFirst?: boolean } = {},
) {
  const h = {
    db: null as unknown as TestDatabase,
    server: null as unknown as RunningServer,
    owner: null as unknown as TestAccount,
    editor: null as unknown as TestAccount,
    providers: [] as WebsocketProvider[],
    get wsBase() {
      return `ws://127.0.0.1:${h.server.port}/collab`;
    },
    /** A stock y-websocket client as `account` (its session cookie) or through a link's token. */
    client(id: string, who: TestAccount | { token: string }, doc = new Y.Doc()): WebsocketProvider {
      const provider = "cookie" in who ? connectClient(h.wsBase, id, doc, {}, { cookie: who.cookie }) : connectClient(h.wsBase, id, doc, { token: who.token });
      h.providers.push(provider);
      return provider;
    },
    async row(id: string): Promise<Row> {
      return h.server.database.prisma.document.findUniqueOrThrow({
        where: { id },
        select: { title: true, contentText: true, projectedAt: true, lastEditorId: true },
      });
    },
    async rowWhen(id: string, predicate: (row: Row) => boolean, what: string, timeoutMs = 10_000): Promise<Row> {
      let last: Row | null = null;
      await waitFor(async () => predicate((last = await h.row(id))), `${what} (last row: ${JSON.stringify(last)})`, timeoutMs);
      return last!;
    },
    async roomUnloaded(id: string): Promise<void> {
      await waitFor(() => h.server.collab.rooms.peek(id) === undefined, `room ${id} unloaded`);
    },
  };
  before(async () => {
    h.db = (await createTestDatabase(kind))!;
    assert.ok(h.db, `${kind} database`);
    await seed?.(h.db);
    h.server = await startAppTestServer(h.db.options, { SIGNUP: "open" }, options);
    h.owner = await signUp(h.server.access, "Olga Owner");
    h.editor = await signUp(h.server.access, "Eddie Editor");
    // Its pass would project the tests' fresh (never projected) documents at once.
    if (backfillFirst) await h.server.projectionBackfill.done;
  });
  after(async () => {
    for (const provider of h.providers) provider.destroy();
    await h.server?.close();
    await closeDatabase();
    await h.db?.drop();
  });
  return h;
}

test("the title seed is one and the same update whoever makes it: applied twice, the title reads once", () => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, titleSeedUpdate("Legacy plan"));
  Y.applyUpdate(doc, titleSeedUpdate("Legacy plan"));
  const other = new Y.Doc();
  Y.applyUpdate(other, titleSeedUpdate("Legacy plan"));
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
  assert.equal(doc.getText(DOCUMENT_TITLE_TEXT_NAME).toString(), "Legacy plan");
});

for (const kind of databaseKinds) {
  describe(`document projection, debounced (${kind})`, () => {
    const h = harness(kind, { projectionTiming: { debounceMs: 800, maxDelayMs: 2_500 } }, { backfillFirst: true });

    test("a stock client's title and text reach the row after the debounce, with the account as last editor; a guest leaves the editor", async () => {
      const id = await createOwnedDocument(h.server.database.prisma, h.owner.id, DEFAULT_DOCUMENT_TITLE);
      const doc = new Y.Doc();
      const provider = h.client(id, h.owner, doc);
      await synced(provider);
      doc.transact(() => {
        setTitleText(documentTitleText(doc), "  Quarterly plan ");
        appendParagraph(doc, "Revenue grows.");
        appendParagraph(doc, "");
        appendParagraph(doc, "Costs shrink.");
      });
      // Not in the update's path: the row is written only once the document has been quiet.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await h.row(id)).projectedAt, null, "projected before the debounce");
      const row = await h.rowWhen(id, (r) => r.projectedAt !== null, "projection");
      assert.equal(row.title, "Quarterly plan");
      assert.equal(row.contentText, "Revenue grows.\nCosts shrink.");
      assert.equal(row.lastEditorId, h.owner.id);

      // A guest with an edit link: the text changes, the last editor stays the account.
      const { token } = await createLink(h.server.database.prisma, id, "editor");
      const guestDoc = new Y.Doc();
      const guest = h.client(id, { token }, guestDoc);
      await synced(guest);
      appendParagraph(guestDoc, "Guest note.");
      const afterGuest = await h.rowWhen(id, (r) => r.contentText.endsWith("Guest note."), "guest's text projected");
      assert.equal(afterGuest.lastEditorId, h.owner.id);

      // Another account edits: it becomes the last editor. An empty title reads "Untitled".
      await h.server.database.prisma.documentMember.create({ data: { documentId: id, userId: h.editor.id, role: "editor" } });
      const editorDoc = new Y.Doc();
      const editor = h.client(id, h.editor, editorDoc);
      await synced(editor);
      setTitleText(documentTitleText(editorDoc), "");
      const renamed = await h.rowWhen(id, (r) => r.lastEditorId === h.editor.id, "editor recorded");
      assert.equal(renamed.title, DEFAULT_DOCUMENT_TITLE);
      // Every client sees the (empty) live title; the list shows "Untitled".
      await waitFor(() => documentTitleText(doc).toString() === "", "owner's copy emptied");
    });

    test("someone typing without pause is still projected, at the longest delay", async () => {
      const id = await createOwnedDocument(h.server.database.prisma, h.owner.id, DEFAULT_DOCUMENT_TITLE);
      const doc = new Y.Doc();
      const provider = h.client(id, h.owner, doc);
      await synced(provider);
      appendParagraph(doc, "");
      const text = (doc.getXmlFragment(EDITOR_FRAGMENT_NAME).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      let typing = true;
      const typist = (async () => {
        while (typing) {
          text.insert(text.length, "a");
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      try {
        const row = await h.rowWhen(id, (r) => r.projectedAt !== null, "projection while typing", 8_000);
        assert.ok(typing, "projected while the typing went on");
        assert.match(row.contentText, /^a+$/);
      } finally {
        typing = false;
        await typist;
      }
    });
  });

  describe(`document projection on unload, PATCH, viewers, backfill and shutdown (${kind})`, () => {
    const legacy = { titled: "", untitled: "", clientTitled: "", empty: "", opened: "" };
    let updateRowsBefore = 0;
    const h = harness(kind, { projectionTiming: NO_DEBOUNCE }, { seed: async (db) => {
      // Documents as they were before projections: rows never projected, content in the log.
      const database = await openDatabase(db.options);
      try {
        const storage = new SqlDocumentStorage(database.sql);
        const make = async (title: string, state: Uint8Array | null) => {
          const id = await createOwnedDocument(database.prisma, null, title);
          if (state) await storage.append(id, state);
          return id;
        };
        legacy.titled = await make("Legacy plan", storedState(["Old content.", "Second block."]));
        legacy.untitled = await make(DEFAULT_DOCUMENT_TITLE, storedState(["Just text."]));
        legacy.clientTitled = await make(DEFAULT_DOCUMENT_TITLE, storedState(["Body."], "Named by a client"));
        legacy.empty = await make(DEFAULT_DOCUMENT_TITLE, null);
        legacy.opened = await make("Opened legacy", storedState(["Opened body."]));
        updateRowsBefore = await database.prisma.documentUpdate.count({ where: { documentId: legacy.untitled } });
      } finally {
        await database.close();
      }
    } });

    test("start-up backfill: never-projected documents get their row projected; old titles are seeded into the Y.Doc, once", async () => {
      // Opened by a client before or while the backfill runs: the client gets the old title.
      const openedDoc = new Y.Doc();
      const { token } = await createLink(h.server.database.prisma, legacy.opened, "viewer");
      await synced(h.client(legacy.opened, { token }, openedDoc));
      await waitFor(() => documentTitleText(openedDoc).toString() === "Opened legacy", "old title seeded for a client");

      await h.server.projectionBackfill.done;
      const titled = await h.row(legacy.titled);
      assert.equal(titled.title, "Legacy plan");
      assert.equal(titled.contentText, "Old content.\nSecond block.");
      assert.notEqual(titled.projectedAt, null);
      assert.deepEqual(
        { ...(await h.row(legacy.untitled)), projectedAt: null },
        { title: DEFAULT_DOCUMENT_TITLE, contentText: "Just text.", projectedAt: null, lastEditorId: null },
      );
      assert.equal((await h.row(legacy.clientTitled)).title, "Named by a client");
      const empty = await h.row(legacy.empty);
      assert.equal(empty.contentText, "");
      assert.notEqual(empty.projectedAt, null);
      const opened = await h.row(legacy.opened);
      assert.equal(opened.title, "Opened legacy");
      assert.equal(opened.contentText, "Opened body.");
      // Nothing written into documents that needed no seed.
      assert.equal(await h.server.database.prisma.documentUpdate.count({ where: { documentId: legacy.untitled } }), updateRowsBefore);
      // The seeded title is in the stored document, exactly once.
      await h.roomUnloaded(legacy.titled);
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await new SqlDocumentStorage(h.server.database.sql).load(legacy.titled))!);
      assert.equal(documentTitleText(stored).toString(), "Legacy plan");
      // A stock client reads it where the README says.
      const reader = new Y.Doc();
      await synced(h.client(legacy.titled, h.owner, reader));
      assert.equal(reader.getText("title").toString(), "Legacy plan");
      assert.equal(h.server.projectionBackfill.projected >= 4, true);
    });

    test("a room is projected when it unloads, long before any debounce", async () => {
      const id = await createOwnedDocument(h.server.database.prisma, h.owner.id, DEFAULT_DOCUMENT_TITLE);
      const doc = new Y.Doc();
      const provider = h.client(id, h.owner, doc);
      await synced(provider);
      doc.transact(() => {
        setTitleText(documentTitleText(doc), "Left behind");
        appendParagraph(doc, "Written, then the tab closed.");
      });
      // The owner's copy reaches the server: a second client sees it.
      const witness = new Y.Doc();
      const witnessProvider = h.client(id, h.owner, witness);
      await synced(witnessProvider);
      await waitFor(() => documentTitleText(witness).toString() === "Left behind", "witness sees the title");
      assert.equal((await h.row(id)).projectedAt, null);
      provider.destroy();
      witnessProvider.destroy();
      await h.roomUnloaded(id);
      const row = await h.rowWhen(id, (r) => r.projectedAt !== null, "projection on unload", 5_000);
      assert.deepEqual({ title: row.title, contentText: row.contentText, lastEditorId: row.lastEditorId }, {
        title: "Left behind",
        contentText: "Written, then the tab closed.",
        lastEditorId: h.owner.id,
      });
    });

    test("a viewer's rename is refused by the server: nobody sees it, nothing is stored", async () => {
      const id = await createOwnedDocument(h.server.database.prisma, h.owner.id, DEFAULT_DOCUMENT_TITLE);
      const ownerDoc = new Y.Doc();
      const ownerProvider = h.client(id, h.owner, ownerDoc);
      await synced(ownerProvider);
      setTitleText(documentTitleText(ownerDoc), "Owner's title");
      const { token } = await createLink(h.server.database.prisma, id, "viewer");
      const viewerDoc = new Y.Doc();
      const viewer = h.client(id, { token }, viewerDoc);
      await synced(viewer);
      await waitFor(() => documentTitleText(viewerDoc).toString() === "Owner's title", "viewer sees the title");
      setTitleText(documentTitleText(viewerDoc), "Hijacked by a viewer");
      // Frames of one socket are handled in order: once the owner sees the viewer's awareness
      // sent after the rename, the server has handled (and dropped) the rename.
      viewer.awareness.setLocalStateField("marker", "after-rename");
      await waitFor(
        () => [...ownerProvider.awareness.getStates().values()].some((state) => state.marker === "after-rename"),
        "viewer's awareness after the rename",
      );
      assert.equal(documentTitleText(ownerDoc).toString(), "Owner's title");
      // A later client, and the row, have the owner's title only.
      const late = new Y.Doc();
      const lateProvider = h.client(id, h.owner, late);
      await synced(lateProvider);
      assert.equal(documentTitleText(late).toString(), "Owner's title");
      for (const provider of [ownerProvider, viewer, lateProvider]) provider.destroy();
      await h.roomUnloaded(id);
      const row = await h.rowWhen(id, (r) => r.projectedAt !== null, "projection on unload");
      assert.equal(row.title, "Owner's title");
    });

    test("PATCH renames the live document: a connected client sees it, concurrent edits merge, the row has it at once", async () => {
      const id = await createOwnedDocument(h.server.database.prisma, h.owner.id, DEFAULT_DOCUMENT_TITLE);
      const doc = new Y.Doc();
      const provider = h.client(id, h.owner, doc);
      await synced(provider);
      setTitleText(documentTitleText(doc), "Quarterly plan");
      await waitFor(() => h.server.collab.rooms.peek(id)?.doc.getText(DOCUMENT_TITLE_TEXT_NAME).toString() === "Quarterly plan", "server has the title");
      const patch = (title: unknown) =>
        documentRoute.PATCH(
          new Request(`http://127.0.0.1:${h.server.port}/api/documents/${id}`, {
            method: "PATCH",
            headers: { cookie: h.owner.cookie, "content-type": "application/json" },
            body: JSON.stringify({ title }),
          }),
          { params: Promise.resolve({ id }) },
        );
      const response = await patch("  Quarterly budget plan ");
      assert.equal(response.status, 200, await response.clone().text());
      assert.equal(((await response.json()) as { title: string }).title, "Quarterly budget plan");
      await waitFor(() => documentTitleText(doc).toString() === "Quarterly budget plan", "client sees the PATCH rename");
      assert.equal((await h.row(id)).title, "Quarterly budget plan");
      // The PATCH changes only what differs: a rename made meanwhile offline by the client (at
      // the end) and the PATCH's (at the start) both survive once the client is back.
      provider.disconnect();
      setTitleText(documentTitleText(doc), "Quarterly budget plan 2027");
      assert.equal((await patch("Yearly budget plan")).status, 200);
      provider.connect();
      await waitFor(() => documentTitleText(doc).toString() === "Yearly budget plan 2027", "both renames merged");
      await waitFor(
        () => h.server.collab.rooms.peek(id)?.doc.getText(DOCUMENT_TITLE_TEXT_NAME).toString() === "Yearly budget plan 2027",
        "server has both renames",
      );
      // Bad titles are still refused before anything changes.
      assert.equal((await patch("")).status, 400);
      assert.equal((await patch("a\nb")).status, 400);
      assert.equal(documentTitleText(doc).toString(), "Yearly budget plan 2027");
    });

    test("POST /api/documents with a title puts it in the Y.Doc: a stock client reads it right after its first sync", async () => {
      const response = await documentsRoute.POST(
        new Request(`http://127.0.0.1:${h.server.port}/api/documents`, {
          method: "POST",
          headers: { cookie: h.owner.cookie, "content-type": "application/json" },
          body: JSON.stringify({ title: "Made by a script" }),
        }),
      );
      assert.equal(response.status, 201);
      const { id } = (await response.json()) as { id: string };
      const doc = new Y.Doc();
      await synced(h.client(id, h.owner, doc));
      assert.equal(doc.getText("title").toString(), "Made by a script");
    });

    test("POST /api/documents with Markdown: its title (?title=, else the first heading) is in the Y.Doc from the first sync, and the row is projected at once", async () => {
      const post = (query: string) =>
        documentsRoute.POST(
          new Request(`http://127.0.0.1:${h.server.port}/api/documents${query}`, {
            method: "POST",
            headers: { cookie: h.owner.cookie, "content-type": "text/markdown" },
            body: "# Imported heading\n\nImported body.\n",
          }),
        );
      for (const [query, expected] of [["", "Imported heading"], ["?title=%20Given%20title%20", "Given title"]] as const) {
        const response = await post(query);
        assert.equal(response.status, 201, await response.clone().text());
        const { id, title } = (await response.json()) as { id: string; title: string };
        assert.equal(title, expected);
        const doc = new Y.Doc();
        await synced(h.client(id, h.owner, doc));
        assert.equal(doc.getText("title").toString(), expected, query);
        assert.equal(doc.getXmlFragment(EDITOR_FRAGMENT_NAME).length, 2);
        // Projected at import (stored without a room, it would otherwise wait for an opening).
        const row = await h.row(id);
        assert.deepEqual({ ...row, projectedAt: row.projectedAt !== null }, {
          title: expected,
          contentText: "Imported heading\nImported body.",
          projectedAt: true,
          lastEditorId: h.owner.id,
        });
      }
    });

    // Last: it closes the server.
    test("shutdown projects every changed room before the database closes", async () => {
      const id = await createOwnedDocument(h.server.database.prisma, h.owner.id, DEFAULT_DOCUMENT_TITLE);
      const doc = new Y.Doc();
      const provider = h.client(id, h.owner, doc);
      await synced(provider);
      appendParagraph(doc, "Typed just before the restart.");
      await waitFor(() => (h.server.collab.rooms.peek(id)?.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).length ?? 0) === 1, "server has the text");
      const prisma = h.server.database.prisma;
      assert.equal((await prisma.document.findUniqueOrThrow({ where: { id } })).projectedAt, null);
      await h.server.close();
      const database = await openDatabase(h.db.options);
      try {
        const row = await database.prisma.document.findUniqueOrThrow({ where: { id } });
        assert.equal(row.contentText, "Typed just before the restart.");
        assert.notEqual(row.projectedAt, null);
      } finally {
        await database.close();
      }
    });
  });
}
