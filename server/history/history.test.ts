// The version history (issue 14) on the real server: versions made when the last person leaves
// and by hand survive the update log's compaction and a restart and rebuild exactly; a restore
// is a forward change that merges with a concurrent edit; who may browse and restore; bad input.
// Route handlers are called with real Requests; edits come from real y-websocket clients.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import type { JSONContent } from "@tiptap/core";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { connectClient, synced, waitFor } from "../testing/yClients.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import type { RunningServer } from "../startServer.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import { HISTORY_CHANGE_MARK } from "../../lib/history/historyChange.ts";
import type { OpenedVersion, VersionJson } from "./versionHistory.ts";
import * as versionsRoute from "../../app/api/documents/[id]/versions/route.ts";
import * as versionRoute from "../../app/api/documents/[id]/versions/[versionId]/route.ts";
import * as restoreRoute from "../../app/api/documents/[id]/versions/[versionId]/restore/route.ts";

process.env.LOG_LEVEL = "silent";

/** The text of each top-level block of a Y.Doc's editor content. */
function blocks(doc: Y.Doc): string[] {
  return doc.getXmlFragment(EDITOR_FRAGMENT_NAME).toArray().map((node) => (node instanceof Y.XmlElement ? node.toArray().map((child) => (child instanceof Y.XmlText ? child.toString() : "")).join("") : ""));
}

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement("paragraph");
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  return (doc.getXmlFragment(EDITOR_FRAGMENT_NAME).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

/** Text of each block of a version's JSON as it reads (text marked removed left out). */
function shownBlocks(content: JSONContent): string[] {
  const text = (node: JSONContent): string =>
    node.type === "text"
      ? node.marks?.some((mark) => mark.type === HISTORY_CHANGE_MARK && mark.attrs?.change === "removed") ? "" : (node.text ?? "")
      : (node.content ?? []).map(text).join("");
  return (content.content ?? []).filter((node) => node.attrs?.historyChange !== "removed").map(text);
}

/** The marked runs of a version's JSON: [change, text]. */
function changes(content: JSONContent): [string, string][] {
  const found: [string, string][] = [];
  const visit = (node: JSONContent) => {
    const mark = node.marks?.find((m) => m.type === HISTORY_CHANGE_MARK);
    if (node.type === "text" && mark) found.push([mark.attrs!.change as string, node.text!]);
    (node.content ?? []).forEach(visit);
  };
  visit(content);
  return found;
}

for (const kind of databaseKinds) {
  describe(`version history (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let owner: TestAccount;
    let outsider: TestAccount;
    const providers: WebsocketProvider[] = [];

    async function start(): Promise<void> {
      server = await startAppTestServer(db.options, { SIGNUP: "open" });
    }

    before(async () => {
      db = (await createTestDatabase(kind))!;
      assert.ok(db, `${kind} database`);
      await start();
      owner = await signUp(server.access, "Olga Owner");
      outsider = await signUp(server.access, "Oscar Outsider");
    });

    after(async () => {
      for (const provider of providers) provider.destroy();
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    type Caller = { account?: TestAccount | null; token?: string };

    /** A request as a script sends it (no Origin): the account's cookie and/or a share token. */
    function request(path: string, { account = owner, token }: Caller = {}, method = "GET", body?: unknown): Request {
      const headers: Record<string, string> = {};
      if (account) headers.cookie = account.cookie;
      if (body !== undefined) headers["content-type"] = "application/json";
      const url = new URL(path, `http://127.0.0.1:${server.port}`);
      if (token) url.searchParams.set("token", token);
      return new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    }

    const listVersions = (id: string, caller?: Caller) => versionsRoute.GET(request(`/api/documents/${id}/versions`, caller), { params: Promise.resolve({ id }) });
    const saveVersion = (id: string, name: unknown, caller?: Caller) =>
      versionsRoute.POST(request(`/api/documents/${id}/versions`, caller, "POST", { name }), { params: Promise.resolve({ id }) });
    const setReaders = (id: string, readersMayBrowse: boolean, caller?: Caller) =>
      versionsRoute.PATCH(request(`/api/documents/${id}/versions`, caller, "PATCH", { readersMayBrowse }), { params: Promise.resolve({ id }) });
    const openVersion = (id: string, versionId: string, caller?: Caller, compare = "previous") =>
      versionRoute.GET(request(`/api/documents/${id}/versions/${versionId}?compare=${compare}`, caller), { params: Promise.resolve({ id, versionId }) });
    const restore = (id: string, versionId: string, caller?: Caller) =>
      restoreRoute.POST(request(`/api/documents/${id}/versions/${versionId}/restore`, caller, "POST"), { params: Promise.resolve({ id, versionId }) });

    async function versionsOf(id: string): Promise<VersionJson[]> {
      const response = await listVersions(id);
      assert.equal(response.status, 200, await response.clone().text());
      return ((await response.json()) as { versions: VersionJson[] }).versions;
    }

    async function opened(id: string, versionId: string, compare = "previous"): Promise<OpenedVersion> {
      const response = await openVersion(id, versionId, undefined, compare);
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as OpenedVersion;
    }

    async function client(id: string, token: string, name?: string): Promise<WebsocketProvider> {
      const provider = connectClient(`ws://127.0.0.1:${server.port}/collab`, id, new Y.Doc(), name ? { token, name } : { token });
      providers.push(provider);
      await synced(provider);
      return provider;
    }

    /** Resolves once the server's copy of the document reads like `doc` (a version saved over
     *  HTTP then holds what the client typed over its socket). */
    async function serverHas(id: string, doc: Y.Doc): Promise<void> {
      await waitFor(() => JSON.stringify(blocks(server.collab.rooms.peek(id)!.doc)) === JSON.stringify(blocks(doc)), "the server has the edits");
    }

    /** Closes a client; resolves once its room has unloaded (the last person left). */
    async function leave(provider: WebsocketProvider, id: string): Promise<void> {
      provider.destroy();
      await waitFor(() => server.collab.rooms.peek(id) === undefined, "room unloaded");
    }

    test("versions made as the last person leaves and by hand survive compaction and a restart, and rebuild exactly", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      const link = await createLink(server.database.prisma, id, "editor");
      const ann = await client(id, link.token, "Ann");
      ann.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph("First draft"), paragraph("Second paragraph")]);
      await leave(ann, id);
      await waitFor(async () => (await versionsOf(id)).length === 1, "a version as Ann left");

      // Many small edits, apart enough to be written as rows of their own: the log is long
      // enough to be compacted as the room unloads.
      const ben = await client(id, link.token, "Ben");
      const expected: string[][] = [blocks(ben.doc)];
      for (let i = 0; i < 120; i++) {
        paragraphText(ben.doc, 1).insert(paragraphText(ben.doc, 1).length, ` ${"word".repeat(20)}${i}`);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      paragraphText(ben.doc, 0).delete(0, 6); // "draft"
      await serverHas(id, ben.doc);
      const named = await saveVersion(id, "Before the cut", { token: link.token, account: null });
      assert.equal(named.status, 201, await named.clone().text());
      expected.push(blocks(ben.doc));
      ben.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).delete(1, 1);
      expected.push(blocks(ben.doc));
      await leave(ben, id);
      await waitFor(async () => (await versionsOf(id)).length === 3, "a version as Ben left");
      const snapshot = await server.database.prisma.documentSnapshot.findUnique({ where: { documentId: id } });
      assert.ok(snapshot, "the update log was compacted");
      assert.ok((await server.database.prisma.documentUpdate.count({ where: { documentId: id } })) < 60, "compaction removed the log rows");

      await server.close();
      await closeDatabase();
      await start();

      const versions = (await versionsOf(id)).reverse();
      assert.deepEqual(versions.map((v) => [v.kind, v.name]), [["auto", null], ["named", "Before the cut"], ["auto", null]]);
      assert.deepEqual(versions[0].authors.map((a) => a.name), ["Ann (guest)"]);
      assert.deepEqual(versions[1].authors.map((a) => a.name), ["Ben (guest)"]);
      for (const [index, version] of versions.entries()) {
        assert.deepEqual(shownBlocks((await opened(id, version.id)).content), expected[index], `version ${index}`);
      }
      // Against the one before: the named version marks Ben's words added and "First " removed.
      const marked = changes((await opened(id, versions[1].id)).content);
      assert.ok(marked.some(([change, text]) => change === "removed" && text === "First "), JSON.stringify(marked));
      assert.ok(marked.some(([change, text]) => change === "added" && text.includes("wordword")), JSON.stringify(marked));
      // Against the current document: the second paragraph, gone since, is marked in the first version.
      const againstNow = await opened(id, versions[0].id, "current");
      assert.ok(changes(againstNow.content).some(([change, text]) => change === "added" && text === "Second paragraph"));
    });

    test("a restore is a forward change: connected people see it, an offline edit merges into it, and the history before it stays", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      const link = await createLink(server.database.prisma, id, "editor");
      const ann = await client(id, link.token, "Ann");
      const ben = await client(id, link.token, "Ben");
      ann.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph("Alpha"), paragraph("Beta"), paragraph("Gamma")]);
      await waitFor(() => blocks(ben.doc).length === 3, "Ben has Ann's paragraphs");
      await serverHas(id, ann.doc);
      const saved = await saveVersion(id, "Greek");
      assert.equal(saved.status, 201);
      const greek = ((await saved.json()) as { version: VersionJson }).version;

      paragraphText(ann.doc, 1).insert(4, " changed");
      ann.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(3, [paragraph("Delta")]);
      await waitFor(() => blocks(ben.doc).length === 4, "Ben has Ann's changes");
      // Ben goes offline and types into Gamma, which the version also has.
      ben.disconnect();
      paragraphText(ben.doc, 2).insert(0, "Ben's ");

      const restored = await restore(id, greek.id);
      assert.equal(restored.status, 200, await restored.clone().text());
      const body = (await restored.json()) as { restored: VersionJson; version: VersionJson; updateBytes: number };
      assert.equal(body.restored.id, greek.id);
      assert.ok(body.updateBytes > 0);
      await waitFor(() => JSON.stringify(blocks(ann.doc)) === JSON.stringify(["Alpha", "Beta", "Gamma"]), "Ann sees the restored version");

      ben.connect();
      await synced(ben);
      const merged = ["Alpha", "Beta", "Ben's Gamma"];
      await waitFor(() => JSON.stringify(blocks(ann.doc)) === JSON.stringify(merged), `Ann has Ben's offline edit merged (${JSON.stringify(blocks(ann.doc))})`);
      await waitFor(() => JSON.stringify(blocks(ben.doc)) === JSON.stringify(merged), "Ben converges");

      // Nothing was rewritten: the named version and the state before the restore are still there.
      const versions = await versionsOf(id);
      assert.equal(versions.find((v) => v.id === greek.id)?.name, "Greek");
      const beforeRestore = versions.find((v) => v.kind === "auto");
      assert.ok(beforeRestore, "the edits before the restore were saved as a version");
      assert.deepEqual(shownBlocks((await opened(id, beforeRestore.id)).content), ["Alpha", "Beta changed", "Gamma", "Delta"]);
      assert.equal(versions[0].kind, "restore");
    });

    test("roles: readers browse unless the owner turns it off; only editors and owners save and restore", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      const editor = await createLink(server.database.prisma, id, "editor");
      const commenter = await createLink(server.database.prisma, id, "commenter");
      const viewer = await createLink(server.database.prisma, id, "viewer");
      const ann = await client(id, editor.token);
      ann.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph("Kept")]);
      const saved = await saveVersion(id, "One");
      const version = ((await saved.json()) as { version: VersionJson }).version;
      const asLink = (token: string): Caller => ({ account: null, token });

      for (const caller of [{}, asLink(editor.token), asLink(commenter.token), asLink(viewer.token)]) {
        assert.equal((await listVersions(id, caller)).status, 200);
        assert.equal((await openVersion(id, version.id, caller)).status, 200);
      }
      const viewerList = (await (await listVersions(id, asLink(viewer.token))).json()) as { canRestore: boolean; canChangeSetting: boolean };
      assert.deepEqual([viewerList.canRestore, viewerList.canChangeSetting], [false, false]);
      assert.equal((await listVersions(id, { account: outsider })).status, 403);
      assert.equal((await listVersions(id, { account: null })).status, 401);

      for (const caller of [asLink(commenter.token), asLink(viewer.token)]) {
        assert.equal((await saveVersion(id, "Mine", caller)).status, 403);
        assert.equal((await restore(id, version.id, caller)).status, 403);
        assert.equal((await setReaders(id, false, caller)).status, 403);
      }
      assert.equal((await setReaders(id, false, asLink(editor.token))).status, 403);
      assert.equal((await restore(id, version.id, asLink(editor.token))).status, 200);

      assert.equal((await setReaders(id, false)).status, 200);
      for (const caller of [asLink(commenter.token), asLink(viewer.token)]) {
        assert.equal((await listVersions(id, caller)).status, 403);
        assert.equal((await openVersion(id, version.id, caller)).status, 403);
      }
      assert.equal((await listVersions(id, asLink(editor.token))).status, 200);
      assert.equal((await setReaders(id, true)).status, 200);
      assert.equal((await listVersions(id, asLink(viewer.token))).status, 200);
    });

    test("bad input: another document's version id, a viewer's restore, a bad name: refused, nothing stored", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      const other = await createOwnedDocument(server.database.prisma, owner.id);
      const editor = await createLink(server.database.prisma, id, "editor");
      const viewer = await createLink(server.database.prisma, id, "viewer");
      const ann = await client(id, editor.token);
      ann.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph("Now")]);
      await serverHas(id, ann.doc);
      const mine = ((await (await saveVersion(id, "Mine")).json()) as { version: VersionJson }).version;
      paragraphText(ann.doc, 0).insert(3, " and then");
      const otherLink = await createLink(server.database.prisma, other, "editor");
      const bob = await client(other, otherLink.token);
      bob.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph("Elsewhere")]);
      const theirs = ((await (await saveVersion(other, "Theirs")).json()) as { version: VersionJson }).version;
      const countBefore = await server.database.prisma.documentVersion.count();

      for (const response of [await openVersion(id, theirs.id), await restore(id, theirs.id), await restore(id, "not a valid id!"), await openVersion(id, "x".repeat(65))]) {
        assert.equal(response.status, 404);
        assert.equal(((await response.json()) as { error: { code: string } }).error.code, "not_found");
      }
      const viewerRestore = await restore(id, mine.id, { account: null, token: viewer.token });
      assert.equal(viewerRestore.status, 403);
      assert.equal((await saveVersion(id, "x".repeat(101))).status, 400);
      assert.equal((await saveVersion(id, "  ")).status, 400);
      assert.equal((await saveVersion(id, "tab\there")).status, 400);
      assert.equal((await openVersion(id, mine.id, undefined, "sideways")).status, 400);

      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(blocks(ann.doc), ["Now and then"], "the document is unchanged");
      assert.equal(await server.database.prisma.documentVersion.count(), countBefore, "no version was stored");
    });
  });
}
