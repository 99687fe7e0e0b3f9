// Access control on the real server (config → startServer, real policy, Better Auth sessions,
// share links in the database): who may open a socket, what read-only roles can change (nothing),
// who others see in awareness, and how fast a revocation reaches open sockets.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import { loadConfig } from "../config.ts";
import { startServer, type RunningServer } from "../startServer.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { closeCode, connectAppClient, connectClient, synced, upgradeStatus, waitFor, withTimeout } from "../testing/yClients.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { encodeAwareness, encodeSyncUpdate } from "../collab/protocol.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import { MAX_REFUSED_UPDATES } from "../collab/Room.ts";
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import { revokeShareLink } from "./shareLinks.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { createInvitation } from "../auth/invitations.ts";
import { INVITE_HEADER } from "../auth/createAuth.ts";

process.env.LOG_LEVEL = "silent";

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** A Yjs update inserting `text` into a fresh client's "t" text. */
function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

for (const kind of databaseKinds) {
  describe(`access control (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let owner: TestAccount;
    let stranger: TestAccount;
    let wsBase: string;
    const origin = () => `http://127.0.0.1:${server.port}`;

    before(async () => {
      db = (await createTestDatabase(kind))!;
      assert.ok(db, `${kind} database`);
      server = await startAppTestServer(db.options, { SIGNUP: "open" });
      wsBase = `ws://127.0.0.1:${server.port}/collab`;
      owner = await signUp(server.access, "Olivia Owner");
      stranger = await signUp(server.access, "Sam Stranger");
    });

    after(async () => {
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    test("the first account is the admin, later ones are members", async () => {
      const roles = await server.database.prisma.user.findMany({ orderBy: { createdAt: "asc" }, select: { role: true } });
      assert.deepEqual(roles.map((r) => r.role), ["admin", "member"]);
    });

    test("SIGNUP=invite: after the admin, only invited emails can sign up", async () => {
      const inviteDb = (await createTestDatabase(kind))!;
      await server.close();
      await closeDatabase();
      const invitational = await startAppTestServer(inviteDb.options, { SIGNUP: "invite" });
      try {
        const admin = await signUp(invitational.access, "First Admin");
        const user = await invitational.database.prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
        assert.equal(user.role, "admin");
        const body = { name: "Uninvited", email: `uninvited-${Date.now()}@example.test`, password: "correct horse battery" };
        await assert.rejects(invitational.access.auth.api.signUpEmail({ body }), /invitation only/);
        const invitation = await createInvitation(invitational.database.prisma, "invited@example.test", { workspaceRole: "editor" });
        const headers = new Headers({ [INVITE_HEADER]: invitation.secret });
        await assert.rejects(
          invitational.access.auth.api.signUpEmail({ body: { ...body, email: "someone-else@example.test" }, headers }),
          /This invitation is for invited@example\.test/,
          "an invitation is for its own email only",
        );
        const created = await invitational.access.auth.api.signUpEmail({ body: { ...body, email: "invited@example.test" }, headers });
        const invited = await invitational.database.prisma.user.findUniqueOrThrow({ where: { id: created.user.id } });
        assert.equal(invited.role, "member");
        assert.equal(invited.workspaceRole, "editor", "the invitation's workspace role");
        await assert.rejects(
          invitational.access.auth.api.signUpEmail({ body: { ...body, email: "invited@example.test", name: "Again" }, headers }),
          /already been used/,
          "an invitation works once",
        );
      } finally {
        await invitational.close();
        await closeDatabase();
        await inviteDb.drop();
        server = await startAppTestServer(db.options, { SIGNUP: "open" });
        wsBase = `ws://127.0.0.1:${server.port}/collab`;
      }
    });

    test("upgrades need a session or a live link, and a role on the document", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      const url = `${wsBase}/${id}`;
      assert.equal(await upgradeStatus(url), 401, "no credentials");
      assert.equal(await upgradeStatus(`${url}?token=${"x".repeat(43)}`), 401, "unknown token");
      assert.equal(await upgradeStatus(url, { cookie: stranger.cookie, origin: origin() }), 403, "account without a role");
      assert.equal(await upgradeStatus(url, { cookie: owner.cookie, origin: origin() }), 101, "owner");
      const expired = await createLink(server.database.prisma, id, "editor", new Date(Date.now() - 1000));
      assert.equal(await upgradeStatus(`${url}?token=${expired.token}`), 401, "expired link");
      const other = await createOwnedDocument(server.database.prisma, owner.id);
      const otherLink = await createLink(server.database.prisma, other, "editor");
      assert.equal(await upgradeStatus(`${url}?token=${otherLink.token}`), 403, "another document's link");
      const nothing = `${wsBase}/does-not-exist-${Date.now()}`;
      assert.equal(await upgradeStatus(nothing, { cookie: owner.cookie, origin: origin() }), 403, "no such document");
    });

    test("a cross-origin upgrade with a valid session cookie is refused", async () => {
      const id = await createOwnedDocument(server.database.prisma, owner.id);
      const url = `${wsBase}/${id}`;
      assert.equal(await upgradeStatus(url, { cookie: owner.cookie, origin: "https://evil.example" }), 403);
      assert.equal(await upgradeStatus(url, { cookie: owner.cookie, origin: `http://127.0.0.1:${server.port + 1}` }), 403);
      assert.equal(await upgradeStatus(url, { cookie: owner.cookie, origin: origin() }), 101);
    });

    for (const readOnly of ["viewer", "commenter"] as const) test(`a ${readOnly} link's valid Yjs updates change neither the stored document nor other clients`, async () => {
      const prisma = server.database.prisma;
      const id = await createOwnedDocument(prisma, owner.id);
      const editLink = await createLink(prisma, id, "editor");
      const viewLink = await createLink(prisma, id, readOnly);
      const editor = connectClient(wsBase, id, undefined, { token: editLink.token });
      const watcher = connectClient(wsBase, id, undefined, { token: viewLink.token });
      try {
        await Promise.all([synced(editor), synced(watcher)]);
        editor.doc.getText("t").insert(0, "by the editor");
        await waitFor(() => watcher.doc.getText("t").toString() === "by the editor", "the viewer receives edits");

        // A hand-written client holding the view link: valid updates, sent as sync updates.
        const attacker = await openSocket(`${wsBase}/${id}?token=${viewLink.token}`);
        const closed = closeCode(attacker, 10_000);
        for (let i = 0; i < MAX_REFUSED_UPDATES + 5 && attacker.readyState === WebSocket.OPEN; i++) {
          attacker.send(encodeSyncUpdate(textUpdate(`forged ${i} `)));
        }
        assert.equal(await closed, CloseCode.FORBIDDEN, "persistent read-only writer closed with 4403");

        // The stock client with the view link tries too: dropped, and its own view is not
        // what anyone else sees.
        watcher.doc.getText("t").insert(0, "viewer typed ");
        editor.doc.getText("t").insert(editor.doc.getText("t").length, " and more");
        await waitFor(() => watcher.doc.getText("t").toString().endsWith(" and more"), "edits still flow to the viewer");
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(editor.doc.getText("t").toString(), "by the editor and more", "the editor never sees forged text");

        // What is stored: only the editor's text (read after the writer is idle).
        const room = server.collab.rooms.peek(id);
        await room?.writer.flush();
        const stored = await new SqlDocumentStorage(server.database.sql).load(id);
        const doc = new Y.Doc();
        if (stored) Y.applyUpdate(doc, stored);
        assert.equal(doc.getText("t").toString(), "by the editor and more");
      } finally {
        editor.destroy();
        watcher.destroy();
      }
    });

    test("awareness shows the server's identity, not the one a client claims", async () => {
      const prisma = server.database.prisma;
      const id = await createOwnedDocument(prisma, owner.id);
      const viewLink = await createLink(prisma, id, "viewer");
      // The owner, signed in (a raw socket: the stock provider cannot send a cookie in Node).
      const ownerSocket = await openSocket(`${wsBase}/${id}`, { cookie: owner.cookie, origin: origin() });
      const ownerAwareness = new awarenessProtocol.Awareness(new Y.Doc());
      ownerAwareness.setLocalState({ user: { name: "whatever I like", color: "#000000" }, cursor: null });
      ownerSocket.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(ownerAwareness, [ownerAwareness.clientID])));

      // A guest with a view link claims to be the owner, and also to speak for the owner's client id.
      const guest = connectClient(wsBase, id, undefined, { token: viewLink.token, name: "Mallory" });
      const observer = connectClient(wsBase, id, undefined, { token: viewLink.token, name: "Olly" });
      // (Awareness instances run a timer until destroyed.)
      const forged = new awarenessProtocol.Awareness(new Y.Doc());
      try {
        await Promise.all([synced(guest), synced(observer)]);
        guest.awareness.setLocalStateField("user", { name: "Olivia Owner", color: "#ff0000" });
        forged.clientID = ownerAwareness.clientID;
        forged.setLocalState({ user: { name: "Olivia Owner" }, hijacked: true });
        // Its clock must beat the owner's for Yjs to take it; the server must drop it anyway.
        for (let i = 0; i < 5; i++) forged.setLocalState({ user: { name: "Olivia Owner" }, hijacked: true, i });
        guest.ws?.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(forged, [forged.clientID])));

        const userOf = (clientId: number) => observer.awareness.getStates().get(clientId)?.user as { name?: string; id?: string } | undefined;
        await waitFor(() => userOf(guest.awareness.clientID)?.name !== undefined && userOf(ownerAwareness.clientID)?.name !== undefined, "both states arrive");
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(userOf(guest.awareness.clientID)?.name, "Mallory (guest)", "the guest appears as itself");
        assert.equal(userOf(ownerAwareness.clientID)?.name, "Olivia Owner", "the owner appears with the account's name");
        assert.equal(userOf(ownerAwareness.clientID)?.id, owner.id);
        assert.equal(observer.awareness.getStates().get(ownerAwareness.clientID)?.hijacked, undefined, "another's client id cannot be taken over");
      } finally {
        guest.destroy();
        observer.destroy();
        ownerSocket.close();
        ownerAwareness.destroy();
        forged.destroy();
      }
    });

    test("a revoked link's open socket is closed within 2 s and cannot reconnect", async () => {
      const prisma = server.database.prisma;
      const id = await createOwnedDocument(prisma, owner.id);
      const link = await createLink(prisma, id, "editor");
      const socket = await openSocket(`${wsBase}/${id}?token=${link.token}`);
      const closed = closeCode(socket, 5_000);
      const revokedAt = performance.now();
      // What DELETE /api/documents/<id>/links/<linkId> does.
      assert.ok(await revokeShareLink(prisma, id, link.id));
      server.access.changes.publish(id);
      const code = await closed;
      const elapsed = performance.now() - revokedAt;
      console.log(`[access] revoked link closed its socket in ${elapsed.toFixed(0)} ms`);
      assert.equal(code, CloseCode.FORBIDDEN);
      assert.ok(elapsed < 2_000, `closed within 2 s (took ${elapsed.toFixed(0)} ms)`);
      assert.equal(await upgradeStatus(`${wsBase}/${id}?token=${link.token}`), 401, "cannot reconnect");
    });

    test("lowering an account's role closes a stock client's socket (it cannot be told); the lower role then gets in read-only", async () => {
      const prisma = server.database.prisma;
      const id = await createOwnedDocument(prisma, owner.id);
      await prisma.documentMember.create({ data: { documentId: id, userId: stranger.id, role: "editor" } });
      const headers = { cookie: stranger.cookie, origin: origin() };
      const socket = await openSocket(`${wsBase}/${id}`, headers);
      const closed = closeCode(socket, 5_000);
      await prisma.documentMember.update({ where: { documentId_userId: { documentId: id, userId: stranger.id } }, data: { role: "viewer" } });
      server.access.changes.publish(id);
      assert.equal(await closed, CloseCode.FORBIDDEN);
      assert.equal(await upgradeStatus(`${wsBase}/${id}`, headers), 101, "still a viewer");
      await prisma.documentMember.delete({ where: { documentId_userId: { documentId: id, userId: stranger.id } } });
      assert.equal(await upgradeStatus(`${wsBase}/${id}`, headers), 403, "no role left");
    });

    test("lowering an account's role tells our client in place, socket open; raising it back lets it edit again", async () => {
      const prisma = server.database.prisma;
      const id = await createOwnedDocument(prisma, owner.id);
      const membership = { documentId_userId: { documentId: id, userId: stranger.id } };
      await prisma.documentMember.create({ data: { documentId: id, userId: stranger.id, role: "editor" } });
      const client = connectAppClient(wsBase, id, { headers: { cookie: stranger.cookie, origin: origin() }, role: "editor" });
      const roles: string[] = [];
      client.liveRole.subscribe((change) => roles.push(change.to));
      try {
        await synced(client.provider);
        const text = client.provider.doc.getText("t");
        text.insert(0, "before.");
        await waitFor(() => client.tracker.saved, "saved as an editor");
        await prisma.documentMember.update({ where: membership, data: { role: "viewer" } });
        server.access.changes.publish(id);
        await waitFor(() => roles.length === 1, "told of the lower role");
        assert.deepEqual(roles, ["viewer"]);
        assert.ok(client.provider.wsconnected, "the socket stays open");
        await prisma.documentMember.update({ where: membership, data: { role: "editor" } });
        server.access.changes.publish(id);
        await waitFor(() => roles.length === 2, "told of the raise");
        assert.deepEqual(roles, ["viewer", "editor"]);
        text.insert(text.length, " after.");
        await waitFor(() => client.tracker.saved, "saved as an editor again");
        await server.collab.rooms.peek(id)?.writer.flush();
        const stored = await new SqlDocumentStorage(server.database.sql).load(id);
        const doc = new Y.Doc();
        if (stored) Y.applyUpdate(doc, stored);
        assert.equal(doc.getText("t").toString(), "before. after.");
      } finally {
        client.provider.destroy();
      }
    });

    test("a link that expires while open closes its socket", async () => {
      const prisma = server.database.prisma;
      const id = await createOwnedDocument(prisma, owner.id);
      const expiresAt = Date.now() + 700;
      const link = await createLink(prisma, id, "viewer", new Date(expiresAt));
      const socket = await openSocket(`${wsBase}/${id}?token=${link.token}`);
      assert.equal(await closeCode(socket, 5_000), CloseCode.FORBIDDEN);
      // Closing at once would pass the line above: not before the expiry (100 ms for clock reads).
      const early = expiresAt - Date.now();
      assert.ok(early <= 100, `closed ${early} ms before the link expired`);
    });
  });
}

test("revocation reaches sockets on another instance through Redis within 2 s", { skip: !process.env.REDIS_URL && !process.env.CI ? "REDIS_URL not set" : false }, async () => {
  assert.ok(process.env.REDIS_URL, "REDIS_URL is required in CI");
  assert.ok(process.env.DATABASE_URL, "two instances share PostgreSQL");
  const db = (await createTestDatabase("postgres"))!;
  const a = await startAppTestServer(db.options, { REDIS_URL: process.env.REDIS_URL });
  const b = await startAppTestServer(db.options, { REDIS_URL: process.env.REDIS_URL });
  try {
    const prisma = a.database.prisma;
    const id = await createOwnedDocument(prisma, null);
    const link = await createLink(prisma, id, "editor");
    const socket = await openSocket(`ws://127.0.0.1:${b.port}/collab/${id}?token=${link.token}`);
    const closed = closeCode(socket, 5_000);
    const started = performance.now();
    assert.ok(await revokeShareLink(prisma, id, link.id));
    a.access.changes.publish(id);
    assert.equal(await withTimeout(closed, 5_000, "close on instance B"), CloseCode.FORBIDDEN);
    const elapsed = performance.now() - started;
    console.log(`[access] revocation on instance A closed a socket on instance B in ${elapsed.toFixed(0)} ms`);
    assert.ok(elapsed < 2_000, `within 2 s (took ${elapsed.toFixed(0)} ms)`);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await closeDatabase();
    await db.drop();
  }
});
