// Comments on the real server (issue 14): real accounts and share links, real y-websocket
// clients speaking our COMMENT extension, the HTTP API's route handlers with real Requests.
// Roles are enforced by the server whatever the client sends; bad input is refused on its own
// socket (or with a 4xx) and stores nothing; events reach every socket on the document.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { addParagraph, anchorIn, connectCommentClient, firstText, type CommentClient } from "../testing/commentClients.ts";
import { waitFor } from "../testing/yClients.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { getLiveComments } from "./liveComments.ts";
import type { RunningServer } from "../startServer.ts";
import { encodeSyncUpdate } from "../collab/protocol.ts";
import * as decoding from "lib0/decoding";
import { encodeCommentFrame, ExtensionMessageType, readCommentFrame } from "../../lib/protocolExtensions.ts";
import type { CommentResult, ThreadJson } from "../../lib/comments/commentModel.ts";
import type { Role } from "../../lib/access/roles.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import * as listRoute from "../../app/api/documents/[id]/comments/route.ts";
import * as threadRoute from "../../app/api/documents/[id]/comments/[threadId]/route.ts";
import * as commentRoute from "../../app/api/documents/[id]/comments/[threadId]/[commentId]/route.ts";
import * as mentionsRoute from "../../app/api/documents/[id]/mentions/route.ts";

process.env.LOG_LEVEL = "silent";

const TEXT = "The quick brown fox jumps over the lazy dog.";

for (const kind of databaseKinds) {
  describe(`comments (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let wsBase: string;
    const people = {} as Record<"owner" | "editor" | "commenter" | "viewer" | "stranger", TestAccount>;
    const clients: CommentClient[] = [];

    before(async () => {
      db = (await createTestDatabase(kind))!;
      assert.ok(db, `${kind} database`);
      server = await startAppTestServer(db.options, { SIGNUP: "open" });
      wsBase = `ws://127.0.0.1:${server.port}/collab`;
      for (const who of ["owner", "editor", "commenter", "viewer", "stranger"] as const) people[who] = await signUp(server.access, `${who} person`);
    });

    after(async () => {
      for (const client of clients.splice(0)) client.close();
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    /** A document with one paragraph of TEXT, and members with each role. */
    async function documentWithText(): Promise<string> {
      const { prisma } = server.database;
      const id = await createOwnedDocument(prisma, people.owner.id);
      for (const role of ["editor", "commenter", "viewer"] as const) {
        await prisma.documentMember.create({ data: { documentId: id, userId: people[role].id, role } });
      }
      const author = await connect(id, "owner");
      addParagraph(author.doc, TEXT);
      return id;
    }

    async function connect(documentId: string, who: keyof typeof people | { token: string; role: Role }): Promise<CommentClient> {
      const client =
        typeof who === "string"
          ? await connectCommentClient(wsBase, documentId, { cookie: people[who].cookie, role: who === "stranger" ? "viewer" : (who as Role) })
          : await connectCommentClient(wsBase, documentId, { token: who.token, role: who.role, name: "Gus" });
      clients.push(client);
      await waitFor(() => firstTextOrNull(client.doc) !== null || who === "owner", "the document's text");
      return client;
    }

    function firstTextOrNull(doc: Y.Doc): Y.XmlText | null {
      return doc.getXmlFragment(EDITOR_FRAGMENT_NAME).length > 0 ? firstText(doc) : null;
    }

    function create(client: CommentClient, body: string, words = "brown fox"): Promise<CommentResult> {
      return client.comments.request({ op: "create", anchor: anchorIn(firstText(client.doc), words), quote: words, body });
    }

    async function threadsStored(documentId: string): Promise<number> {
      return server.database.prisma.commentThread.count({ where: { documentId } });
    }

    function ok(result: CommentResult): ThreadJson {
      assert.ok(result.ok, `expected success, got ${JSON.stringify(result)}`);
      return result.thread;
    }

    function refusedWith(result: CommentResult, code: string): void {
      assert.equal(result.ok, false, `expected a refusal, got ${JSON.stringify(result)}`);
      if (!result.ok) assert.equal(result.error.code, code, result.error.message);
    }

    test("joiners at once share reads of the threads; each gets every thread, also one created during the storm", async () => {
      const id = await documentWithText();
      const owner = await connect(id, "owner");
      ok(await create(owner, "before the storm"));
      // Count the reads the joins make (a spy on the server's own comments service), each made
      // to take 500 ms, so joins that arrive meanwhile have a read to wait for.
      const service = getLiveComments();
      const list = service.list.bind(service);
      let reads = 0;
      service.list = async (documentId: string) => {
        if (documentId !== id) return list(documentId);
        reads++;
        const threads = await list(documentId);
        await new Promise((resolve) => setTimeout(resolve, 500));
        return threads;
      };
      try {
        const JOINERS = 12;
        const joining = Array.from({ length: JOINERS }, () => connect(id, "viewer"));
        // A thread made while the joiners connect: each must have it, from its list or an event.
        const during = ok(await create(owner, "during the storm"));
        const joined = await Promise.all(joining);
        for (const client of joined) {
          await waitFor(() => client.comments.thread(during.id) !== undefined, "the thread made during the storm");
          assert.deepEqual(client.comments.list.map((t) => t.comments[0].body), ["before the storm", "during the storm"]);
        }
        assert.ok(reads >= 1 && reads <= JOINERS / 2, `${JOINERS} joins read the threads ${reads} times`);
      } finally {
        service.list = list;
      }
    });

    test("role matrix: viewers read, commenters (accounts and links) write, everyone sees each thread live", async () => {
      const id = await documentWithText();
      const link = await createLink(server.database.prisma, id, "commenter");
      const viewLink = await createLink(server.database.prisma, id, "viewer");
      const owner = await connect(id, "owner");
      const editor = await connect(id, "editor");
      const commenter = await connect(id, "commenter");
      const viewer = await connect(id, "viewer");
      const guest = await connect(id, { token: link.token, role: "commenter" });
      const viewGuest = await connect(id, { token: viewLink.token, role: "viewer" });

      refusedWith(await create(viewer, "viewers cannot"), "forbidden");
      refusedWith(await create(viewGuest, "nor can view links"), "forbidden");
      assert.equal(await threadsStored(id), 0);

      const made: ThreadJson[] = [];
      for (const [client, body] of [[commenter, "from a commenter"], [guest, "from a comment link"], [editor, "from an editor"], [owner, "from the owner"]] as const) {
        made.push(ok(await create(client, body)));
      }
      assert.equal(made[1].comments[0].authorName, "Gus (guest)");
      for (const client of [owner, editor, commenter, viewer, guest, viewGuest]) {
        await waitFor(() => client.comments.list.length === 4, "every thread on every socket");
        assert.deepEqual(client.comments.list.map((t) => t.comments[0].body), ["from a commenter", "from a comment link", "from an editor", "from the owner"]);
      }
      // A late joiner gets the whole list.
      const late = await connect(id, "viewer");
      assert.equal(late.comments.list.length, 4);

      // Replies: commenters and links yes, viewers no.
      ok(await owner.comments.request({ op: "reply", threadId: made[1].id, body: "owner replies to the guest" }));
      ok(await guest.comments.request({ op: "reply", threadId: made[1].id, body: "guest answers" }));
      refusedWith(await viewer.comments.request({ op: "reply", threadId: made[1].id, body: "no" }), "forbidden");
      await waitFor(() => guest.comments.thread(made[1].id)?.comments.length === 3, "the guest sees both replies");
      assert.deepEqual(guest.comments.thread(made[1].id)!.comments.map((c) => c.body), ["from a comment link", "owner replies to the guest", "guest answers"]);
    });

    test("a commenter cannot change the content, even with a hand-written update; the socket keeps commenting", async () => {
      const id = await documentWithText();
      const owner = await connect(id, "owner");
      const commenter = await connect(id, "commenter");
      const forged = new Y.Doc();
      Y.applyUpdate(forged, Y.encodeStateAsUpdate(commenter.doc));
      firstText(forged).insert(0, "HACKED ");
      const update = Y.encodeStateAsUpdate(forged, Y.encodeStateVector(commenter.doc));
      (commenter.provider.ws as unknown as { send(data: Uint8Array): void }).send(encodeSyncUpdate(update));
      // Frames are handled in order: had the update been applied, the owner would have it
      // before the event of the comment sent after it.
      const thread = ok(await create(commenter, "still here"));
      await waitFor(() => owner.comments.thread(thread.id) !== undefined, "the owner sees the comment");
      assert.equal(firstText(owner.doc).toString(), TEXT);
      const stored = await server.collab.rooms.peek(id)!.doc.getXmlFragment(EDITOR_FRAGMENT_NAME).toString();
      assert.ok(!stored.includes("HACKED"), stored);
      assert.equal(commenter.provider.wsconnected, true);
    });

    test("resolve and reopen: editors and owners any thread, a commenter only their own, viewers none", async () => {
      const id = await documentWithText();
      const [owner, editor, commenter, viewer] = [await connect(id, "owner"), await connect(id, "editor"), await connect(id, "commenter"), await connect(id, "viewer")];
      const byOwner = ok(await create(owner, "owner's thread"));
      const byCommenter = ok(await create(commenter, "commenter's thread"));
      refusedWith(await commenter.comments.request({ op: "resolve", threadId: byOwner.id }), "forbidden");
      refusedWith(await viewer.comments.request({ op: "resolve", threadId: byCommenter.id }), "forbidden");
      const resolved = ok(await editor.comments.request({ op: "resolve", threadId: byOwner.id }));
      assert.equal(resolved.resolved?.byName, "editor person");
      await waitFor(() => viewer.comments.thread(byOwner.id)?.resolved !== null, "the viewer sees it resolved");
      ok(await owner.comments.request({ op: "reopen", threadId: byOwner.id }));
      await waitFor(() => commenter.comments.thread(byOwner.id)?.resolved === null, "the commenter sees it reopened");
      ok(await commenter.comments.request({ op: "resolve", threadId: byCommenter.id }));
      await waitFor(() => owner.comments.thread(byCommenter.id)?.resolved !== null, "the owner sees the commenter's thread resolved");
    });

    test("only authors edit and delete their comments; deleting the first deletes the thread; a reply to it is refused", async () => {
      const id = await documentWithText();
      const [owner, commenter] = [await connect(id, "owner"), await connect(id, "commenter")];
      const thread = ok(await create(commenter, "first"));
      const withReply = ok(await owner.comments.request({ op: "reply", threadId: thread.id, body: "a reply" }));
      const [first, reply] = withReply.comments;
      refusedWith(await owner.comments.request({ op: "edit", threadId: thread.id, commentId: first.id, body: "owner rewrites" }), "forbidden");
      refusedWith(await commenter.comments.request({ op: "delete", threadId: thread.id, commentId: reply.id }), "forbidden");
      const edited = ok(await commenter.comments.request({ op: "edit", threadId: thread.id, commentId: first.id, body: "first, edited" }));
      assert.equal(edited.comments[0].body, "first, edited");
      assert.ok(edited.comments[0].editedAt);
      await waitFor(() => owner.comments.thread(thread.id)?.comments[0].body === "first, edited", "the owner sees the edit");
      ok(await owner.comments.request({ op: "delete", threadId: thread.id, commentId: reply.id }));
      await waitFor(() => commenter.comments.thread(thread.id)?.comments.length === 1, "the reply gone for the commenter");
      ok(await commenter.comments.request({ op: "delete", threadId: thread.id, commentId: first.id }));
      await waitFor(() => owner.comments.thread(thread.id) === undefined, "the thread gone for the owner");
      refusedWith(await owner.comments.request({ op: "reply", threadId: thread.id, body: "too late" }), "gone");
      assert.equal(await server.database.prisma.comment.count({ where: { threadId: thread.id, body: "too late" } }), 0);
    });

    test("bad input is refused on its own socket, stores nothing, and disconnects nobody", async () => {
      const id = await documentWithText();
      const other = await documentWithText();
      const [owner, commenter] = [await connect(id, "owner"), await connect(id, "commenter")];
      const elsewhere = await connect(other, "owner");
      const foreignThread = ok(await create(elsewhere, "on another document"));
      const before = await threadsStored(id);
      const text = firstText(commenter.doc);
      const valid = anchorIn(text, "fox");
      const encode = (position: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(position)).toString("base64");
      const nowhere = encode(Y.createRelativePositionFromJSON({ item: { client: 123456789, clock: 42 }, assoc: 0 }));
      const otherRoot = encode(Y.createRelativePositionFromJSON({ tname: "not-the-content", assoc: 0 }));

      refusedWith(await commenter.comments.request({ op: "create", anchor: { start: nowhere, end: valid.end }, quote: "x", body: "nowhere" }), "bad_request");
      refusedWith(await commenter.comments.request({ op: "create", anchor: { start: valid.start, end: otherRoot }, quote: "x", body: "other root" }), "bad_request");
      refusedWith(await commenter.comments.request({ op: "create", anchor: { start: "bm90IGEgcG9zaXRpb24=", end: valid.end }, quote: "x", body: "garbage" }), "bad_request");
      refusedWith(await commenter.comments.request({ op: "create", anchor: valid, quote: "fox", body: "x".repeat(1024 * 1024) }), "too_large");
      refusedWith(await commenter.comments.request({ op: "create", anchor: valid, quote: "fox", body: "x".repeat(5_001) }), "too_large");
      refusedWith(await commenter.comments.request({ op: "create", anchor: valid, quote: "fox", body: "nul \u0000 inside" }), "bad_request");
      refusedWith(await commenter.comments.request({ op: "create", anchor: valid, quote: "fox", body: "   " }), "bad_request");
      refusedWith(await commenter.comments.request({ op: "reply", threadId: "no-such-thread", body: "hello?" }), "not_found");
      refusedWith(await commenter.comments.request({ op: "reply", threadId: foreignThread.id, body: "cross-document" }), "not_found");
      refusedWith(await owner.comments.request({ op: "resolve", threadId: foreignThread.id }), "not_found");
      // Not even JSON, and an unknown op, straight on the socket.
      const raw = await rawAnswer(commenter, encodeCommentFrame({ requestId: 99, json: "{not json" }));
      assert.equal(raw.ok, false);
      refusedWith(await commenter.comments.request({ op: "explode" } as never), "bad_request");

      assert.equal(await threadsStored(id), before);
      assert.equal(await server.database.prisma.comment.count({ where: { thread: { documentId: other } } }), 1);
      for (const client of [owner, commenter, elsewhere]) assert.equal(client.provider.wsconnected, true);
      ok(await create(commenter, "and a good one still works"));
    });

    /** Sends a raw frame and resolves with the answer to its request id. */
    function rawAnswer(client: CommentClient, frame: Uint8Array): Promise<CommentResult> {
      return new Promise((resolve) => {
        const ws = client.provider.ws as unknown as { send(data: Uint8Array): void; addEventListener(type: string, listener: (event: { data: ArrayBuffer }) => void): void };
        ws.addEventListener("message", (event) => {
          const decoder = decoding.createDecoder(new Uint8Array(event.data));
          if (decoding.readVarUint(decoder) !== ExtensionMessageType.COMMENT) return;
          const answer = readCommentFrame(decoder);
          if (answer.requestId === 99) resolve(JSON.parse(answer.json) as CommentResult);
        });
        ws.send(frame);
      });
    }

    test("mentions notify the people mentioned who can open the document; replies notify the thread's earlier participants", async () => {
      const id = await documentWithText();
      const [owner, commenter] = [await connect(id, "owner"), await connect(id, "commenter")];
      const notifications = (recipientId: string) => server.database.prisma.notification.findMany({ where: { documentId: id, recipientId }, select: { kind: true, threadId: true, actorName: true } });
      const thread = ok(
        await commenter.comments.request({
          op: "create",
          anchor: anchorIn(firstText(commenter.doc), "fox"),
          quote: "fox",
          body: "@editor person and @stranger person, look",
          mentions: [people.editor.id, people.stranger.id, "not-an-account"],
        }),
      );
      assert.deepEqual(thread.comments[0].mentions.map((m) => m.name).sort(), ["editor person", "stranger person"]);
      await waitFor(async () => (await notifications(people.editor.id)).length === 1, "the editor's mention notification");
      assert.deepEqual(await notifications(people.editor.id), [{ kind: "mention", threadId: thread.id, actorName: "commenter person" }]);
      ok(await owner.comments.request({ op: "reply", threadId: thread.id, body: "noted" }));
      await waitFor(async () => (await notifications(people.commenter.id)).length === 1, "the commenter's reply notification");
      assert.equal((await notifications(people.commenter.id))[0].kind, "reply");
      // Nobody is told of their own action; the stranger cannot open the document.
      assert.deepEqual(await notifications(people.owner.id), []);
      assert.deepEqual(await notifications(people.stranger.id), []);
    });

    describe("HTTP API", () => {
      const base = () => `http://127.0.0.1:${server.port}`;
      function request(path: string, { method = "GET", account, token, body }: { method?: string; account?: TestAccount | null; token?: string; body?: unknown } = {}): Request {
        const headers: Record<string, string> = {};
        if (account) headers.cookie = account.cookie;
        if (token) headers["x-share-token"] = token;
        if (body !== undefined) headers["content-type"] = "application/json";
        return new Request(new URL(path, base()), { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
      }
      const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });

      test("@ suggestions: people who can open the document first; a link's guest sees only those; only an owner may share", async () => {
        const id = await documentWithText();
        const link = await createLink(server.database.prisma, id, "commenter");
        type Person = { userId: string; name: string; hasAccess: boolean };
        type Answer = { candidates: Person[]; canShare: boolean };
        const suggest = async (init: Parameters<typeof request>[1], q = "person") =>
          (await (await mentionsRoute.GET(request(`/api/documents/${id}/mentions?q=${q}`, init), params({ id }))).json()) as Answer;
        const byOwner = await suggest({ account: people.owner });
        assert.equal(byOwner.canShare, true);
        // Oneself is not suggested; those who can open it come first.
        assert.deepEqual(byOwner.candidates.filter((p) => p.hasAccess).map((p) => p.name).sort(), ["commenter person", "editor person", "viewer person"]);
        const firstWithout = byOwner.candidates.findIndex((p) => !p.hasAccess);
        assert.ok(firstWithout === -1 || byOwner.candidates.slice(firstWithout).every((p) => !p.hasAccess), JSON.stringify(byOwner));
        const byGuest = await suggest({ token: link.token });
        assert.equal(byGuest.canShare, false);
        assert.deepEqual(byGuest.candidates.map((p) => [p.name, p.hasAccess]).sort(), [["commenter person", true], ["editor person", true], ["owner person", true], ["viewer person", true]]);
        const byCommenter = await suggest({ account: people.commenter });
        assert.equal(byCommenter.canShare, false);
        assert.ok(byCommenter.candidates.every((p) => !("email" in p)), JSON.stringify(byCommenter));
        assert.deepEqual((await suggest({ account: people.commenter }, "edit")).candidates.map((p) => p.name), ["editor person"]);
        // Viewers cannot comment, so they are not offered anyone; strangers cannot open it.
        assert.equal((await mentionsRoute.GET(request(`/api/documents/${id}/mentions`, { account: people.viewer }), params({ id }))).status, 403);
        assert.equal((await mentionsRoute.GET(request(`/api/documents/${id}/mentions`, { account: people.stranger }), params({ id }))).status, 403);
      });

      test("scripts list, create (anchored by text), reply, resolve; sockets see it live; refusals are 4xx", async () => {
        const id = await documentWithText();
        const link = await createLink(server.database.prisma, id, "commenter");
        const watcher = await connect(id, "viewer");

        const created = await listRoute.POST(request(`/api/documents/${id}/comments`, { method: "POST", token: link.token, body: { body: "via HTTP", text: "lazy dog", guestName: "Script" } }), params({ id }));
        assert.equal(created.status, 201);
        const { thread } = (await created.json()) as { thread: ThreadJson };
        assert.equal(thread.quote, "lazy dog");
        assert.equal(thread.comments[0].authorName, "Script (guest)");
        await waitFor(() => watcher.comments.thread(thread.id) !== undefined, "the socket sees the HTTP comment");

        const replied = await threadRoute.POST(request(`/api/documents/${id}/comments/${thread.id}`, { method: "POST", account: people.editor, body: { body: "HTTP reply" } }), params({ id, threadId: thread.id }));
        assert.equal(replied.status, 201);
        assert.equal((await threadRoute.PATCH(request("/x", { method: "PATCH", account: people.commenter, body: { resolved: true } }), params({ id, threadId: thread.id }))).status, 403);
        assert.equal((await threadRoute.PATCH(request("/x", { method: "PATCH", account: people.owner, body: { resolved: true } }), params({ id, threadId: thread.id }))).status, 200);
        await waitFor(() => watcher.comments.thread(thread.id)?.resolved !== null, "the socket sees it resolved");

        const listed = await listRoute.GET(request(`/api/documents/${id}/comments`, { account: people.viewer }), params({ id }));
        assert.equal(listed.status, 200);
        const { threads } = (await listed.json()) as { threads: ThreadJson[] };
        assert.deepEqual(threads.map((t) => t.comments.map((c) => c.body)), [["via HTTP", "HTTP reply"]]);

        // Refusals.
        assert.equal((await listRoute.GET(request(`/api/documents/${id}/comments`, { account: people.stranger }), params({ id }))).status, 403);
        assert.equal((await listRoute.GET(request(`/api/documents/${id}/comments`), params({ id }))).status, 401);
        assert.equal((await listRoute.POST(request("/x", { method: "POST", account: people.viewer, body: { body: "no", text: "lazy" } }), params({ id }))).status, 403);
        assert.equal((await listRoute.POST(request("/x", { method: "POST", account: people.commenter, body: { body: "no", text: "not in the text" } }), params({ id }))).status, 400);
        assert.equal((await listRoute.POST(request("/x", { method: "POST", account: people.commenter, body: { body: "x".repeat(1024 * 1024), text: "lazy" } }), params({ id }))).status, 413);
        assert.equal((await threadRoute.POST(request("/x", { method: "POST", account: people.commenter, body: { body: "?" } }), params({ id, threadId: "nope" }))).status, 404);
        const other = await documentWithText();
        assert.equal((await threadRoute.POST(request("/x", { method: "POST", account: people.owner, body: { body: "?" } }), params({ id: other, threadId: thread.id }))).status, 404);
        const first = thread.comments[0];
        assert.equal((await commentRoute.PATCH(request("/x", { method: "PATCH", account: people.owner, body: { body: "not mine" } }), params({ id, threadId: thread.id, commentId: first.id }))).status, 403);
        const ownerThread = (await (await listRoute.POST(request("/x", { method: "POST", account: people.owner, body: { body: "mine", text: "quick" } }), params({ id }))).json()) as { thread: ThreadJson };
        const deleted = await commentRoute.DELETE(request("/x", { method: "DELETE", account: people.owner }), params({ id, threadId: ownerThread.thread.id, commentId: ownerThread.thread.comments[0].id }));
        assert.equal(deleted.status, 200);
        assert.equal((await threadRoute.POST(request("/x", { method: "POST", account: people.owner, body: { body: "late" } }), params({ id, threadId: ownerThread.thread.id }))).status, 410);
        assert.equal(await server.database.prisma.comment.count({ where: { thread: { documentId: id } } }), 3);
      });
    });
  });
}
