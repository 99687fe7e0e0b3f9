// Attribution on the real server (startServer, Better Auth sessions, share links, real
// y-websocket providers): the first person to write with a Yjs client id owns it on that
// document; a provider that reuses someone else's client id is closed with CLIENT_ID_TAKEN
// (4409) and nothing of its edit is applied or stored, while everyone else stays connected;
// owners are stored, survive a restart, and are what the authors API answers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import type { RunningServer } from "../startServer.ts";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { connectClient, synced, waitFor } from "../testing/yClients.ts";
import { apiRequest, routeParams } from "../testing/apiFixtures.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import type { ClientAuthor } from "../../lib/attribution/authors.ts";
import * as authorsRoute from "../../app/api/documents/[id]/authors/route.ts";

process.env.LOG_LEVEL = "silent";

const kind = process.env.DATABASE_URL ? "postgres" : "pglite";

describe(`attribution: client ids belong to the person who first wrote with them (${kind})`, () => {
  let db: TestDatabase;
  let server: RunningServer;
  let alice: TestAccount;
  let bob: TestAccount;
  const providers: WebsocketProvider[] = [];

  before(async () => {
    db = (await createTestDatabase(kind))!;
    server = await startAppTestServer(db.options, { SIGNUP: "open" });
    alice = await signUp(server.access, "Alice");
    bob = await signUp(server.access, "Bob");
  });
  after(async () => {
    for (const provider of providers.splice(0)) provider.destroy();
    await server?.close();
    await closeDatabase();
    await db?.drop();
  });

  const wsBase = () => `ws://127.0.0.1:${server.port}/collab`;
  function open(documentId: string, who: { cookie?: string; token?: string; name?: string }, doc = new Y.Doc()): WebsocketProvider {
    const params: Record<string, string> = {};
    if (who.token) params.token = who.token;
    if (who.name) params.name = who.name;
    const provider = connectClient(wsBase(), documentId, doc, params, who.cookie ? { cookie: who.cookie } : null);
    providers.push(provider);
    return provider;
  }
  function drop(provider: WebsocketProvider): void {
    providers.splice(providers.indexOf(provider), 1);
    provider.destroy();
  }
  function closeCodes(provider: WebsocketProvider): number[] {
    const codes: number[] = [];
    provider.on("connection-close", (event: CloseEvent | null) => {
      if (event) codes.push(event.code);
    });
    return codes;
  }
  async function sharedDocument(): Promise<string> {
    const id = await createOwnedDocument(server.database.prisma, alice.id);
    await server.database.prisma.documentMember.create({ data: { documentId: id, userId: bob.id, role: "editor" } });
    return id;
  }
  async function storedOwners(documentId: string) {
    return server.database.prisma.documentClientOwner.findMany({ where: { documentId }, orderBy: { firstSeen: "asc" } });
  }
  async function authors(documentId: string, account: TestAccount | null): Promise<Response> {
    return authorsRoute.GET(apiRequest(`/api/documents/${documentId}/authors`, { account, origin: `http://127.0.0.1:${server.port}` }), routeParams({ id: documentId }));
  }

  /** A Y.Doc writing as `clientId`, further than its owner did: its first sync sends those
   *  structs, new to the server. (A stock provider changes its own client id when the server
   *  sends it structs under that id, so the forgery must be in its first answer.) */
  function forgedDocument(clientId: number): Y.Doc {
    const doc = new Y.Doc();
    doc.clientID = clientId;
    doc.getText("t").insert(0, "FORGED ".repeat(20));
    return doc;
  }

  test("each person's client id is recorded as theirs, and the authors API names them", async () => {
    const id = await sharedDocument();
    const a = open(id, { cookie: alice.cookie });
    const b = open(id, { cookie: bob.cookie });
    await Promise.all([synced(a), synced(b)]);
    a.doc.getText("t").insert(0, "by alice ");
    await waitFor(() => b.doc.getText("t").toString().includes("alice"), "bob sees alice's edit");
    b.doc.getText("t").insert(0, "by bob ");
    await waitFor(async () => (await storedOwners(id)).length === 2, "both owners stored");
    const stored = await storedOwners(id);
    assert.deepEqual(
      stored.map((row) => [Number(row.clientId), row.userId, row.ownerKey]),
      [
        [a.doc.clientID, alice.id, alice.id],
        [b.doc.clientID, bob.id, bob.id],
      ],
    );
    const answer = (await (await authors(id, bob)).json()) as { authors: ClientAuthor[] };
    const byClient = new Map(answer.authors.map((author) => [author.clientId, author]));
    assert.equal(byClient.get(a.doc.clientID)?.name, "Alice");
    assert.equal(byClient.get(b.doc.clientID)?.name, "Bob");
    assert.equal(byClient.get(a.doc.clientID)?.times[0]?.[0], 0, "a checkpoint from clock 0");
    // Someone without access to the document learns nothing.
    const carol = await signUp(server.access, "Carol");
    assert.equal((await authors(id, carol)).status, 403);
  });

  test("a provider reusing another person's client id is refused with 4409; nothing is applied or stored, nobody else is disconnected", async () => {
    const id = await sharedDocument();
    const a = open(id, { cookie: alice.cookie });
    const aliceCodes = closeCodes(a);
    await synced(a);
    a.doc.getText("t").insert(0, "alice wrote this");
    await waitFor(async () => (await storedOwners(id)).length === 1, "alice's client id stored");

    // Bob's provider, on a Y.Doc with Alice's client id that wrote further than she did.
    const forger = open(id, { cookie: bob.cookie }, forgedDocument(a.doc.clientID));
    const forgerCodes = closeCodes(forger);
    await waitFor(() => forgerCodes.includes(CloseCode.CLIENT_ID_TAKEN), "the forger's socket closed with 4409");
    drop(forger);

    // Alice is still connected and still syncing; the forged text reached nobody.
    const watcher = open(id, { cookie: bob.cookie });
    await synced(watcher);
    a.doc.getText("t").insert(a.doc.getText("t").length, " and more");
    await waitFor(() => watcher.doc.getText("t").toString() === "alice wrote this and more", "the watcher has alice's text only");
    assert.equal(a.doc.getText("t").toString(), "alice wrote this and more");
    assert.deepEqual(aliceCodes, [], "alice was never disconnected");
    const room = server.collab.rooms.peek(id);
    assert.ok(room);
    assert.ok(!room.doc.getText("t").toString().includes("FORGED"));
    await room.writer.flush();
    const rows = await server.database.prisma.documentUpdate.findMany({ where: { documentId: id } });
    const replay = new Y.Doc();
    for (const row of rows) Y.applyUpdate(replay, row.update);
    assert.equal(replay.getText("t").toString(), "alice wrote this and more", "nothing forged was stored");
    assert.deepEqual((await storedOwners(id)).map((row) => row.userId), [alice.id]);
  });

  test("guests of one link are one author; a guest cannot take an account's client id", async () => {
    const id = await sharedDocument();
    const { token } = await createLink(server.database.prisma, id, "editor");
    const link = await server.database.prisma.shareLink.findFirstOrThrow({ where: { documentId: id } });
    const guest = open(id, { token, name: "Gus" });
    await synced(guest);
    guest.doc.getText("t").insert(0, "guest text");
    await waitFor(async () => (await storedOwners(id)).length === 1, "the guest's client id stored");
    const [row] = await storedOwners(id);
    assert.equal(row.ownerKey, `link:${link.id}`);
    assert.equal(row.userId, null);
    assert.equal(row.name, "Gus (guest)");

    const a = open(id, { cookie: alice.cookie });
    await synced(a);
    a.doc.getText("t").insert(0, "alice ");
    await waitFor(async () => (await storedOwners(id)).length === 2, "alice's client id stored");
    const forger = open(id, { token }, forgedDocument(a.doc.clientID));
    const codes = closeCodes(forger);
    await waitFor(() => codes.includes(CloseCode.CLIENT_ID_TAKEN), "the guest forger closed with 4409");
    drop(forger);
    assert.ok(!a.doc.getText("t").toString().includes("FORGED"));
  });

  test("owners survive a restart: the forged id is still refused after the room reloads", async () => {
    const id = await sharedDocument();
    const a = open(id, { cookie: alice.cookie });
    await synced(a);
    a.doc.getText("t").insert(0, "before the restart");
    await waitFor(async () => (await storedOwners(id)).length === 1, "stored");
    const aliceClient = a.doc.clientID;
    a.disconnect();
    const oldPort = String(server.port);
    await server.close();
    server = await startAppTestServer(db.options, { SIGNUP: "open" });
    a.serverUrl = a.serverUrl.replace(`:${oldPort}/`, `:${server.port}/`);

    const forger = open(id, { cookie: bob.cookie }, forgedDocument(aliceClient));
    const codes = closeCodes(forger);
    await waitFor(() => codes.includes(CloseCode.CLIENT_ID_TAKEN), "refused after the restart");
    drop(forger);
    // Alice herself, reconnecting with the same Y.Doc (so the same client id), goes on writing.
    const backCodes = closeCodes(a);
    a.connect();
    await synced(a);
    assert.equal(a.doc.clientID, aliceClient);
    a.doc.getText("t").insert(0, "again ");
    const room = () => server.collab.rooms.peek(id);
    await waitFor(() => room()?.doc.getText("t").toString() === "again before the restart", "alice's edit applied");
    assert.deepEqual(backCodes, []);
  });
});
