// The content API (issue 12, "Out and in") on the real server: GET/PUT
// /api/documents/<id>/content and POST /api/documents with Markdown or HTML, through the route
// handlers with real Requests, against live y-websocket clients. The PUT must be a minimal
// CRDT diff: an unchanged paragraph keeps its Yjs identity (a caret's relative position in it
// still resolves) and an edit made there concurrently survives.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { connectClient, synced, waitFor } from "../testing/yClients.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import type { RunningServer } from "../startServer.ts";
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import * as contentRoute from "../../app/api/documents/[id]/content/route.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";
import * as documentRoute from "../../app/api/documents/[id]/route.ts";
import * as restoreRoute from "../../app/api/documents/[id]/restore/route.ts";

process.env.LOG_LEVEL = "silent";

for (const kind of databaseKinds) {
  describe(`content API (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let owner: TestAccount;
    let wsBase: string;
    const providers: WebsocketProvider[] = [];

    before(async () => {
      db = (await createTestDatabase(kind))!;
      assert.ok(db, `${kind} database`);
      server = await startAppTestServer(db.options, { SIGNUP: "open" });
      wsBase = `ws://127.0.0.1:${server.port}/collab`;
      owner = await signUp(server.access, "Olga Owner");
    });

    after(async () => {
      for (const provider of providers) provider.destroy();
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    /** A request as a script sends it (no Origin), with the account's cookie and/or a token. */
    function request(
      path: string,
      { method = "GET", account = owner as TestAccount | null, contentType, body }: { method?: string; account?: TestAccount | null; contentType?: string; body?: string | Uint8Array<ArrayBuffer> } = {},
    ): Request {
      const headers: Record<string, string> = {};
      if (account) headers.cookie = account.cookie;
      if (contentType) headers["content-type"] = contentType;
      return new Request(new URL(path, `http://127.0.0.1:${server.port}`), { method, headers, body });
    }

    async function getContent(id: string, format = "markdown", init: Parameters<typeof request>[1] = {}): Promise<Response> {
      return contentRoute.GET(request(`/api/documents/${id}/content?format=${format}`, init), { params: Promise.resolve({ id }) });
    }

    async function putContent(id: string, body: string | Uint8Array<ArrayBuffer>, contentType = "text/markdown", init: Parameters<typeof request>[1] = {}, query = ""): Promise<Response> {
      return contentRoute.PUT(request(`/api/documents/${id}/content${query}`, { method: "PUT", contentType, body, ...init }), { params: Promise.resolve({ id }) });
    }

    async function markdownOf(id: string): Promise<string> {
      const response = await getContent(id);
      assert.equal(response.status, 200, await response.clone().text());
      return response.text();
    }

    function client(id: string, token: string): WebsocketProvider {
      const provider = connectClient(wsBase, id, new Y.Doc(), { token });
      providers.push(provider);
      return provider;
    }

    /** The text of each top-level block of a client's copy. */
    function blocks(doc: Y.Doc): string[] {
      return doc.getXmlFragment(EDITOR_FRAGMENT_NAME).toArray().map((node) => (node instanceof Y.XmlElement ? (node.get(0) as Y.XmlText | undefined)?.toString() ?? "" : ""));
    }

    function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
      return (doc.getXmlFragment(EDITOR_FRAGMENT_NAME).get(index) as Y.XmlElement).get(0) as Y.XmlText;
    }

    test("POST Markdown creates a document titled by its first heading, whose content GET returns in every format", async () => {
      const markdown = "# Meeting notes\n\nWe **agreed** on [the plan](https://example.com/plan).\n\n- ship it\n- tell everyone";
      const created = await documentsRoute.POST(request("/api/documents", { method: "POST", contentType: "text/markdown; charset=utf-8", body: markdown }));
      assert.equal(created.status, 201, await created.clone().text());
      const { id, title } = (await created.json()) as { id: string; title: string };
      assert.equal(title, "Meeting notes");
      assert.equal((await markdownOf(id)).trim(), markdown);
      const html = await getContent(id, "html");
      assert.equal(html.headers.get("content-type"), "text/html; charset=utf-8");
      assert.match(await html.text(), /^<h1>Meeting notes<\/h1><p>We <strong>agreed<\/strong> on <a href="https:\/\/example.com\/plan" target="_blank" rel="noopener noreferrer nofollow">the plan<\/a>/);
      const json = (await (await getContent(id, "json")).json()) as { type: string; content: { type: string }[] };
      assert.equal(json.type, "doc");
      assert.deepEqual(json.content.map((node) => node.type), ["heading", "paragraph", "bulletList"]);
      // Durable: the stored state (not only the room) holds it.
      const stored = await new SqlDocumentStorage(server.database.sql).load(id);
      assert.ok(stored && stored.length > 0);
      const storedDoc = new Y.Doc();
      Y.applyUpdate(storedDoc, stored);
      assert.equal(blocks(storedDoc)[0], "Meeting notes");
    });

    test("POST HTML with ?title= uses that title; a JSON POST still works", async () => {
      const created = await documentsRoute.POST(request("/api/documents?title=Imported", { method: "POST", contentType: "text/html", body: "<h1>Heading</h1><p>Body <em>text</em></p>" }));
      assert.equal(created.status, 201);
      const { id, title } = (await created.json()) as { id: string; title: string };
      assert.equal(title, "Imported");
      assert.equal(await markdownOf(id), "# Heading\n\nBody *text*");
      const plain = await documentsRoute.POST(request("/api/documents", { method: "POST", contentType: "application/json", body: JSON.stringify({ title: "Plain" }) }));
      assert.equal(plain.status, 201);
      assert.equal(((await plain.json()) as { title: string }).title, "Plain");
    });

    test("PUT is a minimal CRDT diff: an unchanged paragraph keeps its identity and a caret in it; a concurrent insert there survives", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      const editLink = await createLink(server.database.prisma, id, "editor");
      assert.equal((await putContent(id, "First\n\nSecond\n\nThird")).status, 200);

      // Ben stays connected all along; Ann goes offline and types into "Second" meanwhile.
      const ben = client(id, editLink.token);
      const ann = client(id, editLink.token);
      await Promise.all([synced(ben), synced(ann)]);
      assert.deepEqual(blocks(ben.doc), ["First", "Second", "Third"]);
      const secondBefore = (ben.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).get(1) as Y.XmlElement)._item!.id;
      const benCaret = Y.createRelativePositionFromTypeIndex(paragraphText(ben.doc, 1), 3); // Sec|ond
      ann.disconnect();
      paragraphText(ann.doc, 1).insert(0, "Well, ");

      const put = await putContent(id, "First, changed\n\nSecond\n\nThird\n\nFourth");
      assert.equal(put.status, 200, await put.clone().text());
      const summary = (await put.json()) as { id: string; bytes: number; updateBytes: number };
      assert.equal(summary.id, id);
      assert.ok(summary.updateBytes > 0);

      // Relayed to the connected editor like any update.
      await waitFor(() => blocks(ben.doc).join("|") === "First, changed|Second|Third|Fourth", "Ben sees the PUT");
      const secondAfter = (ben.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).get(1) as Y.XmlElement)._item!.id;
      assert.ok(Y.compareIDs(secondBefore, secondAfter), "the unchanged paragraph is the same Yjs item");
      const caret = Y.createAbsolutePositionFromRelativePosition(benCaret, ben.doc);
      assert.ok(caret && caret.type === paragraphText(ben.doc, 1) && caret.index === 3, "Ben's caret is still at Sec|ond");

      // Ann's concurrent insert merges into the same paragraph.
      ann.connect();
      await waitFor(() => blocks(ben.doc).join("|") === "First, changed|Well, Second|Third|Fourth", "Ann's insert reaches Ben");
      await waitFor(() => blocks(ann.doc).join("|") === "First, changed|Well, Second|Third|Fourth", "Ann gets the PUT");
      const moved = Y.createAbsolutePositionFromRelativePosition(benCaret, ben.doc);
      assert.ok(moved && moved.index === 3 + "Well, ".length, "Ben's caret moved with the text before it");
      await waitFor(async () => (await markdownOf(id)) === "First, changed\n\nWell, Second\n\nThird\n\nFourth", "GET shows the merge");
      ben.disconnect();
      ann.disconnect();
    });

    test("PUT to a document nobody has open loads it through the rooms, and the change is stored", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      assert.equal(server.collab.rooms.peek(id), undefined);
      const put = await putContent(id, "<h2>From HTML</h2><p>with <s>strike</s></p>", "text/html");
      assert.equal(put.status, 200, await put.clone().text());
      await waitFor(() => server.collab.rooms.peek(id) === undefined, "the room unloads");
      const storedDoc = new Y.Doc();
      Y.applyUpdate(storedDoc, (await new SqlDocumentStorage(server.database.sql).load(id))!);
      assert.deepEqual(blocks(storedDoc), ["From HTML", "with <strike>strike</strike>"]); // Y.XmlText shows marks as tags
      assert.equal(await markdownOf(id), "## From HTML\n\nwith ~~strike~~");
      // The same content again changes nothing.
      const again = await putContent(id, "## From HTML\n\nwith ~~strike~~");
      assert.equal(((await again.json()) as { updateBytes: number }).updateBytes, 0);
    });

    test("a PUT and a rename through the API record who made them as the document's last editor", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      const editor = await signUp(server.access, `Eddie Editor ${kind}`);
      await server.database.prisma.documentMember.create({ data: { documentId: id, userId: editor.id, role: "editor" } });
      const lastEditor = async () => (await server.database.prisma.document.findUniqueOrThrow({ where: { id }, select: { lastEditorId: true } })).lastEditorId;

      const put = await putContent(id, "Edited by a script.", "text/markdown", { account: editor });
      assert.equal(put.status, 200, await put.clone().text());
      await waitFor(async () => (await lastEditor()) === editor.id, "the PUT's author recorded");

      const renamed = await documentRoute.PATCH(
        request(`/api/documents/${id}`, { method: "PATCH", contentType: "application/json", body: JSON.stringify({ title: "Renamed by the owner" }) }),
        { params: Promise.resolve({ id }) },
      );
      assert.equal(renamed.status, 200, await renamed.clone().text());
      await waitFor(async () => (await lastEditor()) === owner.id, "the rename's author recorded");
    });

    test("viewers and commenters may read but a PUT from them is 403 and changes nothing; strangers get 401/403", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      assert.equal((await putContent(id, "Original")).status, 200);
      const stranger = await signUp(server.access, "Stan Stranger");
      for (const role of ["viewer", "commenter"] as const) {
        const link = await createLink(server.database.prisma, id, role);
        const read = await contentRoute.GET(request(`/api/documents/${id}/content?token=${link.token}`, { account: null }), { params: Promise.resolve({ id }) });
        assert.equal(read.status, 200);
        assert.equal(await read.text(), "Original");
        const refused = await putContent(id, "Overwritten", "text/markdown", { account: null }, `?token=${link.token}`);
        assert.equal(refused.status, 403, `${role} PUT`);
      }
      assert.equal((await putContent(id, "Overwritten", "text/markdown", { account: null })).status, 401);
      assert.equal((await putContent(id, "Overwritten", "text/markdown", { account: stranger })).status, 403);
      assert.equal((await getContent(id, "markdown", { account: stranger })).status, 403);
      assert.equal(await markdownOf(id), "Original");
      const editLink = await createLink(server.database.prisma, id, "editor");
      assert.equal((await putContent(id, "By link", "text/markdown", { account: null }, `?token=${editLink.token}`)).status, 200);
      assert.equal(await markdownOf(id), "By link");
    });

    test("a document in the Trash: GET and PUT answer 410 and change nothing", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      assert.equal((await putContent(id, "Before the Trash")).status, 200);
      const trashed = await documentRoute.DELETE(request(`/api/documents/${id}`, { method: "DELETE" }), { params: Promise.resolve({ id }) });
      assert.ok(trashed.status < 300, `DELETE answered ${trashed.status}`);
      assert.equal((await getContent(id)).status, 410);
      assert.equal((await putContent(id, "After")).status, 410);
      const restored = await restoreRoute.POST(request(`/api/documents/${id}/restore`, { method: "POST" }), { params: Promise.resolve({ id }) });
      assert.ok(restored.status < 300, `restore answered ${restored.status}`);
      assert.equal(await markdownOf(id), "Before the Trash");
    });

    test("another content type is 415, unreadable input or an unknown format 400, and nothing is changed or created", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      assert.equal((await putContent(id, "Kept")).status, 200);
      for (const type of ["application/json", "text/plain", "text/markdown; charset=latin1"]) {
        const response = await putContent(id, "x", type);
        assert.equal(response.status, 415, type);
        assert.equal(((await response.json()) as { error: { code: string } }).error.code, "unsupported_media_type");
      }
      const notUtf8 = new Uint8Array([0x48, 0xff, 0xfe, 0x21]);
      const bad = await putContent(id, notUtf8);
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, /UTF-8/);
      assert.equal((await getContent(id, "pdf")).status, 400);
      assert.equal(await markdownOf(id), "Kept");

      const before = await server.database.prisma.document.count();
      const refused = await documentsRoute.POST(request("/api/documents", { method: "POST", contentType: "text/html", body: notUtf8 }));
      assert.equal(refused.status, 400);
      const badTitle = await documentsRoute.POST(request(`/api/documents?title=${"x".repeat(201)}`, { method: "POST", contentType: "text/markdown", body: "# ok" }));
      assert.equal(badTitle.status, 400);
      assert.equal(await server.database.prisma.document.count(), before, "nothing was created");
    });
  });
}

describe("content API: the document size limit (pglite)", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let owner: TestAccount;

  before(async () => {
    db = (await createTestDatabase("pglite"))!;
    server = await startAppTestServer(db.options, { SIGNUP: "open", MAX_DOCUMENT_BYTES: "4096" });
    owner = await signUp(server.access, "Lena Limit");
  });

  after(async () => {
    await server?.close();
    await closeDatabase();
    await db?.drop();
  });

  test("a PUT that would grow the document past MAX_DOCUMENT_BYTES is 413 and nothing of it is applied", async () => {
    const id = await createOwnedDocument(server.database.prisma, owner.id);
    const put = (body: string) =>
      contentRoute.PUT(
        new Request(`http://127.0.0.1:${server.port}/api/documents/${id}/content`, { method: "PUT", headers: { cookie: owner.cookie, "content-type": "text/markdown" }, body }),
        { params: Promise.resolve({ id }) },
      );
    assert.equal((await put("Small")).status, 200);
    const refused = await put(Array.from({ length: 200 }, (_, i) => `Paragraph number ${i} of a long text.`).join("\n\n"));
    assert.equal(refused.status, 413);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "document_too_large");
    const read = await contentRoute.GET(
      new Request(`http://127.0.0.1:${server.port}/api/documents/${id}/content`, { headers: { cookie: owner.cookie } }),
      { params: Promise.resolve({ id }) },
    );
    assert.equal(await read.text(), "Small");
  });
});
