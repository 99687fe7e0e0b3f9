// Notifications on the real server (startServer, Better Auth sessions, the members route
// handler as Next calls it): sharing a document with someone stores a notification and pushes
// it live to their open stream — through Redis to another instance when REDIS_URL is set —
// the list and unread count answer it, marking read works only on one's own, nobody is
// notified of their own action, and bad requests are refused.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunningServer } from "../startServer.ts";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { apiRequest, errorOf, routeParams } from "../testing/apiFixtures.ts";
import { linkIn, startSmtpInbox, type SmtpInbox } from "../testing/smtpInbox.ts";
import { openNotificationStream, type NotificationStreamClient } from "../testing/notificationStream.ts";
import { notify, notifyMany, MAX_EXCERPT_CHARS } from "./notify.ts";
import type { NotificationJson } from "../../lib/notifications/notification.ts";
import * as membersRoute from "../../app/api/documents/[id]/members/route.ts";
import * as notificationsRoute from "../../app/api/notifications/route.ts";
import * as mentionsRoute from "../../app/api/documents/[id]/mentions/route.ts";

process.env.LOG_LEVEL = "silent";

const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
const redisUrl = process.env.REDIS_URL;

describe("notifications", () => {
  let db: TestDatabase;
  /** Where Bob's page listens. */
  let listening: RunningServer;
  /** Where the route handlers run (the process-wide access context is the last server started):
   *  another instance than `listening` when there is Redis to carry the push between them. */
  let acting: RunningServer;
  let alice: TestAccount;
  let bob: TestAccount;
  const streams: NotificationStreamClient[] = [];

  before(async () => {
    const created = await createTestDatabase(kind);
    assert.ok(created);
    db = created;
    const env = { SIGNUP: "open", ...(redisUrl && kind === "postgres" ? { REDIS_URL: redisUrl } : {}) };
    listening = await startAppTestServer(db.options, env);
    acting = env.REDIS_URL ? await startAppTestServer(db.options, env) : listening;
    alice = await signUp(acting.access, "Alice");
    bob = await signUp(acting.access, "Bob");
  });
  after(async () => {
    for (const stream of streams) stream.close();
    if (acting !== listening) await acting.close();
    await listening.close();
    await closeDatabase();
    await db.drop();
  });

  const origin = () => acting.url.replace("localhost", "127.0.0.1");
  const get = (account: TestAccount | null, query = "") =>
    notificationsRoute.GET(apiRequest(`/api/notifications${query}`, { account, origin: origin() }));
  const post = (account: TestAccount | null, body: unknown, from?: string) =>
    notificationsRoute.POST(apiRequest("/api/notifications", { method: "POST", account, body, origin: origin(), from }));
  async function stream(account: TestAccount): Promise<NotificationStreamClient> {
    const client = await openNotificationStream(listening.url, account.cookie);
    streams.push(client);
    assert.equal(client.status, 200);
    return client;
  }

  test("sharing a document with someone notifies them live, and the list and unread count show it", async () => {
    const documentId = await createOwnedDocument(acting.database.prisma, alice.id, "Plans");
    const live = await stream(bob);
    assert.deepEqual((await live.next("unread")).data, { unread: 0 });

    const shared = await membersRoute.POST(
      apiRequest(`/api/documents/${documentId}/members`, { method: "POST", account: alice, body: { email: bob.email, role: "editor" }, origin: origin() }),
      routeParams({ id: documentId }),
    );
    assert.equal(shared.status, 201);
    const pushed = (await live.next("notification")).data as NotificationJson;
    assert.equal(pushed.kind, "share");
    assert.equal(pushed.recipientId, bob.id);
    assert.equal(pushed.actorName, "Alice");
    assert.equal(pushed.documentId, documentId);
    assert.equal(pushed.href, `/d/${documentId}`);
    assert.equal(pushed.readAt, null);

    const listed = (await (await get(bob)).json()) as { notifications: NotificationJson[]; unread: number };
    assert.equal(listed.unread, 1);
    assert.deepEqual(
      listed.notifications.map((n) => [n.id, n.kind, n.documentTitle]),
      [[pushed.id, "share", "Plans"]],
    );
    // Alice was not notified of her own share.
    assert.equal(((await (await get(alice)).json()) as { unread: number }).unread, 0);

    // Sharing again with the same role tells nobody anything new.
    await membersRoute.POST(
      apiRequest(`/api/documents/${documentId}/members`, { method: "POST", account: alice, body: { email: bob.email, role: "editor" }, origin: origin() }),
      routeParams({ id: documentId }),
    );
    assert.equal(((await (await get(bob)).json()) as { unread: number }).unread, 1);
  });

  test("a mention reaches every open page of the person, and only theirs", async () => {
    const documentId = await createOwnedDocument(acting.database.prisma, alice.id, "Notes");
    const first = await stream(bob);
    const second = await stream(bob);
    const alices = await stream(alice);
    for (const client of [first, second, alices]) await client.next("unread");

    const stored = await notify(acting.database.prisma, {
      recipientId: bob.id,
      kind: "mention",
      documentId,
      threadId: "thread-1",
      actorId: alice.id,
      actorName: "Alice",
      excerpt: `@Bob could you check this?\n${"x".repeat(500)}`,
    });
    assert.ok(stored);
    assert.equal(stored.href, `/d/${documentId}#comment-thread-1`);
    assert.equal(stored.excerpt.length, MAX_EXCERPT_CHARS);
    assert.ok(!stored.excerpt.includes("\n"), "the excerpt is one line");
    for (const client of [first, second]) assert.equal(((await client.next("notification")).data as NotificationJson).id, stored.id);
    await assert.rejects(alices.next("notification", 300), /no "notification" event/);
  });

  test("a mention in the document: suggestions say who can open it; mentioning notifies them live, or offers to share", async () => {
    const documentId = await createOwnedDocument(acting.database.prisma, alice.id, "Roadmap");
    const carol = await signUp(acting.access, "Carol");
    await acting.database.prisma.documentMember.create({ data: { documentId, userId: bob.id, role: "editor" } });
    const live = await stream(bob);
    await live.next("unread");
    const mentionsPath = `/api/documents/${documentId}/mentions`;
    const suggest = async (account: TestAccount, q: string) =>
      mentionsRoute.GET(apiRequest(`${mentionsPath}?q=${encodeURIComponent(q)}`, { account, origin: origin() }), routeParams({ id: documentId }));
    const mention = (account: TestAccount, body: unknown) =>
      mentionsRoute.POST(apiRequest(mentionsPath, { method: "POST", account, body, origin: origin() }), routeParams({ id: documentId }));

    const bobs = (await (await suggest(alice, "bo")).json()) as { candidates: { userId: string; name: string; hasAccess: boolean }[] };
    assert.deepEqual(bobs.candidates, [{ userId: bob.id, name: "Bob", hasAccess: true }]);
    const carols = (await (await suggest(alice, "car")).json()) as { candidates: { userId: string; hasAccess: boolean }[] };
    assert.deepEqual(carols.candidates, [{ userId: carol.id, name: "Carol", hasAccess: false }]);

    const answer = await mention(alice, { userId: bob.id, excerpt: "Over to @Bob" });
    assert.deepEqual(await answer.json(), { notified: true, hasAccess: true, canShare: true });
    const pushed = (await live.next("notification")).data as NotificationJson;
    assert.deepEqual([pushed.kind, pushed.actorName, pushed.excerpt, pushed.href], ["mention", "Alice", "Over to @Bob", `/d/${documentId}`]);

    // Carol cannot open it: nobody is notified; the owner may share, an editor is told to ask.
    assert.deepEqual(await (await mention(alice, { userId: carol.id })).json(), { notified: false, hasAccess: false, canShare: true });
    // Under SIGNUP=open Bob may know of Carol only once they share a document.
    assert.equal((await mention(bob, { userId: carol.id })).status, 404);
    const theirs = await createOwnedDocument(acting.database.prisma, carol.id);
    await acting.database.prisma.documentMember.create({ data: { documentId: theirs, userId: bob.id, role: "viewer" } });
    assert.deepEqual(await (await mention(bob, { userId: carol.id })).json(), { notified: false, hasAccess: false, canShare: false });
    assert.equal(await acting.database.prisma.notification.count({ where: { recipientId: carol.id } }), 0);
    // Sharing by account id (what the editor's offer sends) works for the owner.
    const shared = await membersRoute.POST(
      apiRequest(`/api/documents/${documentId}/members`, { method: "POST", account: alice, body: { userId: carol.id, role: "viewer" }, origin: origin() }),
      routeParams({ id: documentId }),
    );
    assert.equal(shared.status, 201);
    assert.deepEqual(await (await mention(alice, { userId: carol.id })).json(), { notified: true, hasAccess: true, canShare: true });

    // A viewer cannot mention in the document; an unknown account is answered 404.
    assert.equal((await mention(carol, { userId: bob.id })).status, 403);
    assert.equal((await mention(alice, { userId: "no-such-account" })).status, 404);
    assert.equal((await mention(alice, {})).status, 400);
  });

  test("notifyMany skips the actor and repeats, in one go", async () => {
    const documentId = await createOwnedDocument(acting.database.prisma, alice.id);
    const base = { kind: "mention" as const, documentId, threadId: "t", actorId: alice.id, actorName: "Alice", excerpt: "hi" };
    const stored = await notifyMany(acting.database.prisma, [
      { ...base, recipientId: bob.id },
      { ...base, recipientId: bob.id },
      { ...base, recipientId: alice.id },
    ]);
    assert.deepEqual(stored.map((n) => n.recipientId), [bob.id]);
    assert.equal(await acting.database.prisma.notification.count({ where: { documentId } }), 1);
  });

  test("marking read: one's own by id, or all; others' ids are ignored", async () => {
    const { notifications, unread } = (await (await get(bob)).json()) as { notifications: NotificationJson[]; unread: number };
    assert.ok(unread >= 2);
    // Alice cannot mark Bob's notification read.
    const byAlice = (await (await post(alice, { ids: [notifications[0].id] })).json()) as { marked: number };
    assert.equal(byAlice.marked, 0);
    const one = (await (await post(bob, { ids: [notifications[0].id] })).json()) as { marked: number; unread: number };
    assert.deepEqual(one, { marked: 1, unread: unread - 1 });
    const all = (await (await post(bob, { all: true })).json()) as { marked: number; unread: number };
    assert.deepEqual(all, { marked: unread - 1, unread: 0 });
    const after = (await (await get(bob)).json()) as { notifications: NotificationJson[] };
    assert.ok(after.notifications.every((n) => n.readAt !== null));
    // Paging: older than the newest one.
    const older = (await (await get(bob, `?before=${encodeURIComponent(after.notifications[0].createdAt)}`)).json()) as { notifications: NotificationJson[] };
    assert.ok(older.notifications.every((n) => n.createdAt < after.notifications[0].createdAt));
  });

  test("refusals: signed out, another origin, malformed bodies and dates, the stream without a session", async () => {
    assert.equal((await errorOf(await get(null))).code, "unauthenticated");
    assert.equal((await post(bob, { all: true }, "https://evil.example")).status, 403);
    assert.equal((await errorOf(await post(bob, { ids: "all" }))).code, "bad_request");
    assert.equal((await errorOf(await post(bob, { ids: Array.from({ length: 101 }, (_, i) => String(i)) }))).code, "bad_request");
    assert.equal((await errorOf(await get(bob, "?before=yesterday"))).code, "bad_request");
    const anonymous = await openNotificationStream(listening.url, "");
    assert.equal(anonymous.status, 401);
  });
});

describe("notifications by mail, when the server has SMTP_URL", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let inbox: SmtpInbox;

  before(async () => {
    const created = await createTestDatabase(kind);
    assert.ok(created);
    db = created;
    inbox = await startSmtpInbox();
    server = await startAppTestServer(db.options, { SIGNUP: "open", SMTP_URL: inbox.url, MAIL_FROM: "Collab <docs@example.test>" });
  });
  after(async () => {
    await server.close();
    await inbox.close();
    await closeDatabase();
    await db.drop();
  });

  test("a mention is mailed with a link to the exact place; a share's notification is not mailed twice", async () => {
    const dana = await signUp(server.access, "Dana");
    const eli = await signUp(server.access, "Eli");
    const documentId = await createOwnedDocument(server.database.prisma, dana.id, "Budget <2027>");
    await notify(server.database.prisma, {
      recipientId: eli.id,
      kind: "mention",
      documentId,
      threadId: "t-9",
      actorId: dana.id,
      actorName: "Dana",
      excerpt: "@Eli please check the totals",
    });
    const mail = await inbox.mailTo(eli.email);
    assert.equal(mail.subject, "Dana mentioned you in “Budget <2027>” on Collab");
    assert.match(mail.text, /please check the totals/);
    assert.equal(linkIn(mail, `/d/${documentId}`).hash, "#comment-t-9");
    assert.ok(!mail.html.includes("<2027>"), "the title is escaped in the HTML part");

    const before = inbox.mails.length;
    await notify(server.database.prisma, { recipientId: eli.id, kind: "share", documentId, actorId: dana.id, actorName: "Dana", email: false });
    await notify(server.database.prisma, { recipientId: eli.id, kind: "reply", documentId, threadId: "t-9", actorId: dana.id, actorName: "Dana", excerpt: "done" });
    const reply = await inbox.mailTo(eli.email, { since: before });
    assert.equal(reply.subject, "Dana replied to your comment in “Budget <2027>” on Collab");
    assert.equal(inbox.mails.length, before + 1, "the share was not mailed by notify");
  });
});
