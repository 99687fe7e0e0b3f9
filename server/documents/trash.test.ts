// Trash (issue 12): DELETE /api/documents/<id> moves a document to Trash (hidden from the list,
// refused to its links and the API, its open sockets closed with 4410 within 2 s), the caller's
// Trash lists it, restore brings it back, ?forever=1 deletes a trashed document with its
// updates, snapshot and links, and the sweep purges it TRASH_RETENTION_DAYS later. Also: a
// never-edited empty document leaves the list after EMPTY_DOCUMENT_LIST_GRACE_MS.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import { databaseKinds, createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { apiRequest, errorOf, routeParams, startApiContext, type ApiTestContext } from "../testing/apiFixtures.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { closeCode, connectClient, synced, upgradeStatus, waitFor } from "../testing/yClients.ts";
import * as Y from "yjs";
import type { RunningServer } from "../startServer.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import { SHARE_TOKEN_HEADER } from "../access/requestAccess.ts";
import { EMPTY_DOCUMENT_LIST_GRACE_MS, listDocuments } from "./documentRepository.ts";
import { purgeExpiredTrash } from "./documentTrash.ts";
import { TrashSweep } from "./TrashSweep.ts";
import { log } from "../log.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";
import * as documentRoute from "../../app/api/documents/[id]/route.ts";
import * as restoreRoute from "../../app/api/documents/[id]/restore/route.ts";
import * as contentRoute from "../../app/api/documents/[id]/content/route.ts";

const DAY_MS = 86_400_000;

interface ListBody {
  documents: { id: string; title: string; updatedAt: string; trashedAt?: string }[];
  nextCursor: string | null;
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

test("TRASH_RETENTION_DAYS: 30 by default, a whole number of days from 1, refused otherwise", () => {
  assert.equal(loadConfig({}).trashRetentionDays, 30);
  assert.equal(loadConfig({ TRASH_RETENTION_DAYS: "7" }).trashRetentionDays, 7);
  for (const bad of ["0", "-1", "1.5", "abc", "99999"]) {
    assert.throws(() => loadConfig({ TRASH_RETENTION_DAYS: bad }), ConfigError, bad);
  }
});

for (const kind of databaseKinds) {
  describe(`trash through the API (${kind})`, () => {
    let context: ApiTestContext;
    let admin: TestAccount;
    let owner: TestAccount;
    let editor: TestAccount;

    before(async () => {
      context = (await startApiContext(kind, { SIGNUP: "open" }))!;
      admin = await signUp(context.access, "Ada Admin");
      owner = await signUp(context.access, "Owen Owner");
      editor = await signUp(context.access, "Eddie Editor");
    });

    after(async () => {
      await context?.close();
    });

    const prisma = () => context.database.prisma;

    async function list(account: TestAccount, query = ""): Promise<ListBody> {
      const response = await documentsRoute.GET(apiRequest(`/api/documents${query}`, { account }));
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as ListBody;
    }

    function trash(account: TestAccount, id: string, query = ""): Promise<Response> {
      return documentRoute.DELETE(apiRequest(`/api/documents/${id}${query}`, { method: "DELETE", account }), routeParams({ id }));
    }

    function restore(account: TestAccount, id: string): Promise<Response> {
      return restoreRoute.POST(apiRequest(`/api/documents/${id}/restore`, { method: "POST", account }), routeParams({ id }));
    }

    test("delete → Trash: gone from the list, in the owner's Trash, 410 to the API and to links; restore brings it back", async () => {
      const id = await createOwnedDocument(prisma(), owner.id, "Quarterly plan");
      await prisma().documentMember.create({ data: { documentId: id, userId: editor.id, role: "editor" } });
      const link = await createLink(prisma(), id, "viewer");
      const linkGet = () =>
        documentRoute.GET(
          new Request(`http://127.0.0.1:3999/api/documents/${id}`, { headers: { [SHARE_TOKEN_HEADER]: link.token } }),
          routeParams({ id }),
        );
      assert.equal((await linkGet()).status, 200, "the link works before");
      assert.ok((await list(owner)).documents.some((d) => d.id === id));

      const response = await trash(owner, id);
      assert.equal(response.status, 200, await response.clone().text());
      const body = (await response.json()) as { id: string; trashedAt: string };
      assert.equal(body.id, id);
      assert.ok(Date.now() - Date.parse(body.trashedAt) < 60_000);

      assert.ok(!(await list(owner)).documents.some((d) => d.id === id), "hidden from the owner's list");
      assert.ok(!(await list(editor)).documents.some((d) => d.id === id), "hidden from a member's list");
      assert.ok(!(await list(admin)).documents.some((d) => d.id === id), "hidden from an admin's list");

      const trashList = await list(owner, "?trash=1");
      const entry = trashList.documents.find((d) => d.id === id);
      assert.ok(entry, "in the owner's Trash");
      assert.equal(entry.title, "Quarterly plan");
      assert.equal(entry.trashedAt, body.trashedAt);
      assert.ok((await list(admin, "?trash=1")).documents.some((d) => d.id === id), "an admin sees every Trash");
      assert.ok(!(await list(editor, "?trash=1")).documents.some((d) => d.id === id), "not in a member's Trash");

      const linked = await linkGet();
      assert.equal(linked.status, 410, "the link is refused while trashed");
      assert.equal((await errorOf(linked)).code, "in_trash");
      const asMember = await documentRoute.GET(apiRequest(`/api/documents/${id}`, { account: editor }), routeParams({ id }));
      assert.equal(asMember.status, 410);
      const content = await contentRoute.GET(
        new Request(`http://127.0.0.1:3999/api/documents/${id}/content?format=markdown`, { headers: { [SHARE_TOKEN_HEADER]: link.token } }),
        routeParams({ id }),
      );
      assert.equal(content.status, 410, "the content API refuses it too");
      const rename = await documentRoute.PATCH(
        apiRequest(`/api/documents/${id}`, { method: "PATCH", account: owner, body: { title: "x" } }),
        routeParams({ id }),
      );
      assert.equal(rename.status, 410, "not even its owner edits it in Trash");

      const again = await trash(owner, id);
      assert.equal(again.status, 200, "trashing twice is harmless");
      assert.equal(((await again.json()) as { trashedAt: string }).trashedAt, body.trashedAt, "keeps the first trashedAt");

      const restored = await restore(owner, id);
      assert.equal(restored.status, 200, await restored.clone().text());
      assert.ok((await list(owner)).documents.some((d) => d.id === id), "back in the list");
      assert.ok(!(await list(owner, "?trash=1")).documents.some((d) => d.id === id), "out of the Trash");
      assert.equal((await linkGet()).status, 200, "the link works again");
      assert.equal((await restore(owner, id)).status, 409, "restoring what is not in Trash");
    });

    test("only owners and admins move to Trash, restore or delete forever", async () => {
      const id = await createOwnedDocument(prisma(), owner.id);
      await prisma().documentMember.create({ data: { documentId: id, userId: editor.id, role: "editor" } });
      assert.equal((await trash(editor, id)).status, 403, "an editor may not");
      const signedOut = await documentRoute.DELETE(apiRequest(`/api/documents/${id}`, { method: "DELETE" }), routeParams({ id }));
      assert.equal(signedOut.status, 401);
      const crossOrigin = await documentRoute.DELETE(
        new Request(`http://127.0.0.1:3999/api/documents/${id}`, { method: "DELETE", headers: { cookie: owner.cookie, origin: "https://evil.example" } }),
        routeParams({ id }),
      );
      assert.equal(crossOrigin.status, 403, "cross-origin refused");
      assert.equal((await trash(admin, id)).status, 200, "an admin may");
      assert.equal((await restore(editor, id)).status, 403);
      assert.equal((await trash(editor, id, "?forever=1")).status, 403);
      assert.equal((await restore(admin, id)).status, 200);
      const ghost = "abcdefghijklmnopqrstu";
      assert.equal((await trash(owner, ghost)).status, 403, "an unknown id tells nothing");
    });

    test("delete forever: refused unless in Trash; then the document, its updates, snapshot and links are gone", async () => {
      const id = await createOwnedDocument(prisma(), owner.id);
      await prisma().documentUpdate.create({ data: { documentId: id, update: new Uint8Array([0, 0]) } });
      await prisma().documentSnapshot.create({
        data: { documentId: id, state: new Uint8Array([0, 0]), stateVector: new Uint8Array([0]), upToSeq: 1n },
      });
      await createLink(prisma(), id, "editor");
      await prisma().documentMember.create({ data: { documentId: id, userId: editor.id, role: "viewer" } });

      const early = await trash(owner, id, "?forever=1");
      assert.equal(early.status, 409, "not in Trash yet");
      assert.equal((await errorOf(early)).code, "not_in_trash");
      assert.equal((await trash(owner, id, "?forever=yes")).status, 400);
      assert.equal(await prisma().document.count({ where: { id } }), 1, "nothing deleted");

      assert.equal((await trash(owner, id)).status, 200);
      const forever = await trash(owner, id, "?forever=1");
      assert.equal(forever.status, 200, await forever.clone().text());
      assert.equal(await prisma().document.count({ where: { id } }), 0);
      assert.equal(await prisma().documentUpdate.count({ where: { documentId: id } }), 0);
      assert.equal(await prisma().documentSnapshot.count({ where: { documentId: id } }), 0);
      assert.equal(await prisma().shareLink.count({ where: { documentId: id } }), 0);
      assert.equal(await prisma().documentMember.count({ where: { documentId: id } }), 0);
      assert.ok(!(await list(owner, "?trash=1")).documents.some((d) => d.id === id));
    });

    test("the Trash list pages like the document list", async () => {
      const pager = await signUp(context.access, "Paula Pager");
      const base = Date.UTC(2031, 0, 1);
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const id = await createOwnedDocument(prisma(), pager.id, `Trashed ${i}`);
        // Pairs share a trashedAt: the id tie-break must hold the order.
        await prisma().document.update({ where: { id }, data: { trashedAt: new Date(base - Math.floor(i / 2) * 1000) } });
        ids.push(id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ListBody = await list(pager, `?trash=1&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        assert.ok(page.documents.length <= 3);
        seen.push(...page.documents.map((d) => d.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual([...seen].sort(), [...ids].sort());
      assert.equal(new Set(seen).size, seen.length, "each once");
      assert.equal((await documentsRoute.GET(apiRequest("/api/documents?trash=2", { account: pager }))).status, 400);
    });

    test("purge after TRASH_RETENTION_DAYS (injected clock), through the sweep; untrashed and younger ones stay", async () => {
      const old = await createOwnedDocument(prisma(), owner.id, "Old");
      const young = await createOwnedDocument(prisma(), owner.id, "Young");
      const kept = await createOwnedDocument(prisma(), owner.id, "Kept");
      await prisma().documentUpdate.create({ data: { documentId: old, update: new Uint8Array([0, 0]) } });
      const now = Date.now();
      await prisma().document.update({ where: { id: old }, data: { trashedAt: new Date(now - 31 * DAY_MS) } });
      await prisma().document.update({ where: { id: young }, data: { trashedAt: new Date(now - 29 * DAY_MS) } });

      const sweep = new TrashSweep(prisma(), 30, log);
      try {
        await sweep.sweep(new Date(now));
      } finally {
        await sweep.stop();
      }
      assert.equal(await prisma().document.count({ where: { id: old } }), 0, "past retention: purged");
      assert.equal(await prisma().documentUpdate.count({ where: { documentId: old } }), 0, "with its updates");
      assert.equal(await prisma().document.count({ where: { id: young } }), 1, "within retention: kept");
      assert.equal(await prisma().document.count({ where: { id: kept } }), 1, "not in Trash: kept");

      // Two days later the young one is due; two instances sweeping together do not conflict.
      const later = new Date(now + 2 * DAY_MS);
      const counts = await Promise.all([purgeExpiredTrash(prisma(), 30, later), purgeExpiredTrash(prisma(), 30, later)]);
      assert.ok(counts.every((c) => c === 0 || c === 1), `counts ${counts}`);
      assert.equal(await prisma().document.count({ where: { id: young } }), 0);
      assert.equal(await prisma().document.count({ where: { id: kept } }), 1);
    });

    test("a never-edited empty document leaves the list after the grace period; an edited or renamed one stays", async () => {
      const lister = await signUp(context.access, "Lena Lister");
      const longAgo = new Date(Date.now() - EMPTY_DOCUMENT_LIST_GRACE_MS - 60_000);
      const make = async (title: string, createdAt: Date) => {
        const id = await createOwnedDocument(prisma(), lister.id, title);
        await prisma().document.update({ where: { id }, data: { createdAt } });
        return id;
      };
      const untouchedOld = await make("Untitled", longAgo);
      const untouchedNew = await make("Untitled", new Date());
      const editedOld = await make("Untitled", longAgo);
      await prisma().documentUpdate.create({ data: { documentId: editedOld, update: new Uint8Array([0, 0]) } });
      const compactedOld = await make("Untitled", longAgo);
      await prisma().documentSnapshot.create({
        data: { documentId: compactedOld, state: new Uint8Array([0, 0]), stateVector: new Uint8Array([0]), upToSeq: 1n },
      });
      const renamedOld = await make("Notes", longAgo);

      const ids = (await list(lister)).documents.map((d) => d.id);
      assert.ok(!ids.includes(untouchedOld), "an old untouched Untitled is hidden");
      for (const id of [untouchedNew, editedOld, compactedOld, renamedOld]) assert.ok(ids.includes(id), id);
      // The clock is injectable: the fresh one goes too once the grace period has passed.
      const result = await listDocuments(lister.id, { now: new Date(Date.now() + EMPTY_DOCUMENT_LIST_GRACE_MS + 60_000) });
      assert.ok(result.ok);
      assert.ok(!result.value.documents.some((d) => d.id === untouchedNew));
      // Hidden from the list only: it still opens by its URL.
      assert.equal((await documentRoute.GET(apiRequest(`/api/documents/${untouchedOld}`, { account: lister }), routeParams({ id: untouchedOld }))).status, 200);
    });
  });

  describe(`trash closes open sockets (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let owner: TestAccount;
    let wsBase: string;
    const origin = () => `http://127.0.0.1:${server.port}`;

    before(async () => {
      db = (await createTestDatabase(kind))!;
      process.env.LOG_LEVEL = "silent";
      server = await startAppTestServer(db.options, { SIGNUP: "open" });
      wsBase = `ws://127.0.0.1:${server.port}/collab`;
      owner = await signUp(server.access, "Olivia Owner");
    });

    after(async () => {
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    test("DELETE closes the owner's and a link's sockets with 4410 within 2 s; upgrades are refused (410) until restored", async () => {
      const prisma = server.database.prisma;
      const id = await createOwnedDocument(prisma, owner.id);
      const link = await createLink(prisma, id, "editor");
      const headers = { cookie: owner.cookie, origin: origin() };
      const ownerSocket = await openSocket(`${wsBase}/${id}`, headers);
      const linkSocket = await openSocket(`${wsBase}/${id}?token=${link.token}`);
      const closed = Promise.all([closeCode(ownerSocket, 5_000), closeCode(linkSocket, 5_000)]);
      const started = performance.now();
      // The route handler itself, in this server's process (its access context and database).
      const response = await documentRoute.DELETE(
        new Request(`${origin()}/api/documents/${id}`, { method: "DELETE", headers }),
        routeParams({ id }),
      );
      assert.equal(response.status, 200, await response.clone().text());
      const codes = await closed;
      const elapsed = performance.now() - started;
      console.log(`[trash] sockets closed ${elapsed.toFixed(0)} ms after DELETE`);
      assert.deepEqual(codes, [CloseCode.DOCUMENT_TRASHED, CloseCode.DOCUMENT_TRASHED]);
      assert.ok(elapsed < 2_000, `within 2 s (took ${elapsed.toFixed(0)} ms)`);

      assert.equal(await upgradeStatus(`${wsBase}/${id}?token=${link.token}`), 410, "the link cannot reconnect");
      assert.equal(await upgradeStatus(`${wsBase}/${id}`, headers), 410, "nor the owner");

      const restored = await restoreRoute.POST(
        new Request(`${origin()}/api/documents/${id}/restore`, { method: "POST", headers }),
        routeParams({ id }),
      );
      assert.equal(restored.status, 200);
      assert.equal(await upgradeStatus(`${wsBase}/${id}?token=${link.token}`), 101, "the link works again");
    });

    test("deleting forever right after trashing an edited, open document leaves nothing behind (no row revived by a late write)", async () => {
      const prisma = server.database.prisma;
      const id = await createOwnedDocument(prisma, owner.id);
      const headers = { cookie: owner.cookie, origin: origin() };
      const doc = new Y.Doc();
      // A link's client (connectClient sends no cookie).
      const link = await createLink(prisma, id, "editor");
      const editor = connectClient(wsBase, id, doc, { token: link.token });
      try {
        await synced(editor);
        for (let i = 0; i < 20; i++) doc.getText("t").insert(0, `edit ${i} `);
        await waitFor(async () => (await prisma.documentUpdate.count({ where: { documentId: id } })) > 0, "an update stored");
        doc.getText("t").insert(0, "in flight ");
        const call = (query: string) =>
          documentRoute.DELETE(new Request(`${origin()}/api/documents/${id}${query}`, { method: "DELETE", headers }), routeParams({ id }));
        assert.equal((await call("")).status, 200);
        assert.equal((await call("?forever=1")).status, 200);
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        assert.equal(await prisma.document.count({ where: { id } }), 0, "no document row revived");
        assert.equal(await prisma.documentUpdate.count({ where: { documentId: id } }), 0, "no update left");
        assert.equal(await prisma.documentSnapshot.count({ where: { documentId: id } }), 0, "no snapshot left");
      } finally {
        editor.destroy();
      }
    });
  });
}

test("moving to Trash closes a socket on another instance through Redis within 2 s", { skip: !process.env.REDIS_URL && !process.env.CI ? "REDIS_URL not set" : false }, async () => {
  assert.ok(process.env.REDIS_URL, "REDIS_URL is required in CI");
  assert.ok(process.env.DATABASE_URL, "two instances share PostgreSQL");
  const db = (await createTestDatabase("postgres"))!;
  process.env.LOG_LEVEL = "silent";
  const a = await startAppTestServer(db.options, { SIGNUP: "open", REDIS_URL: process.env.REDIS_URL });
  // Started last, so the route handler below runs with B's access context: it publishes from B.
  const b = await startAppTestServer(db.options, { SIGNUP: "open", REDIS_URL: process.env.REDIS_URL });
  try {
    const owner = await signUp(b.access, "Rita Remote");
    const id = await createOwnedDocument(b.database.prisma, owner.id);
    const link = await createLink(b.database.prisma, id, "editor");
    const socket = await openSocket(`ws://127.0.0.1:${a.port}/collab/${id}?token=${link.token}`);
    const closed = closeCode(socket, 5_000);
    const started = performance.now();
    const bOrigin = `http://127.0.0.1:${b.port}`;
    const response = await documentRoute.DELETE(
      new Request(`${bOrigin}/api/documents/${id}`, { method: "DELETE", headers: { cookie: owner.cookie, origin: bOrigin } }),
      routeParams({ id }),
    );
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(await closed, CloseCode.DOCUMENT_TRASHED);
    const elapsed = performance.now() - started;
    console.log(`[trash] DELETE on instance B closed a socket on instance A in ${elapsed.toFixed(0)} ms`);
    assert.ok(elapsed < 2_000, `within 2 s (took ${elapsed.toFixed(0)} ms)`);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await closeDatabase();
    await db.drop();
  }
});
