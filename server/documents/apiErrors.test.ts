// The documents REST API's error answers, through the route handlers with real Requests:
// 400 for a bad id, malformed JSON or a bad title; 404 for what is not there; 403 for a
// caller without the role; 401 signed out; 503 with Retry-After when the database cannot
// answer (an outage: PostgreSQL behind a cut TCP proxy, a closed PGlite) — never a 500.

import assert from "node:assert/strict";
import { after, before, describe, test, type TestContext } from "node:test";
import { newDocumentId } from "../../lib/documentId.ts";
import { DOCUMENT_TITLE_MAX_CHARS } from "../../lib/documents/documentTitle.ts";
import { createAccessContext, setAccessContext, type AccessContext } from "../access/accessContext.ts";
import { SHARE_TOKEN_HEADER } from "../access/requestAccess.ts";
import { loadConfig } from "../config.ts";
import type { Database, PrismaClient } from "../db/Database.ts";
import { closeDatabase, setDatabase } from "../db/getDatabase.ts";
import { openDatabase } from "../db/openDatabase.ts";
import { log } from "../log.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { API_ORIGIN, apiRequest, errorOf, routeParams, startApiContext, type ApiTestContext } from "../testing/apiFixtures.ts";
import { TcpProxy } from "../testing/TcpProxy.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";
import * as documentRoute from "../../app/api/documents/[id]/route.ts";
import * as linksRoute from "../../app/api/documents/[id]/links/route.ts";
import * as linkRoute from "../../app/api/documents/[id]/links/[linkId]/route.ts";
import * as membersRoute from "../../app/api/documents/[id]/members/route.ts";
import * as memberRoute from "../../app/api/documents/[id]/members/[userId]/route.ts";

/** Asserts `response` is the JSON error `code` with `status`, never cached, and Retry-After
 *  exactly when `retryAfter` says. */
async function assertError(response: Response, status: number, code: string, what: string, retryAfter: string | null = null): Promise<void> {
  assert.equal(response.status, status, `${what}: status`);
  assert.equal((await errorOf(response)).code, code, `${what}: code`);
  assert.equal(response.headers.get("retry-after"), retryAfter, `${what}: Retry-After`);
  assert.equal(response.headers.get("cache-control"), "no-store", `${what}: never cached`);
}

const getOne = (id: string, account: TestAccount | null, headers: Record<string, string> = {}) => {
  const request = apiRequest(`/api/documents/${encodeURIComponent(id)}`, { account });
  for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
  return documentRoute.GET(request, routeParams({ id }));
};
const patchOne = (id: string, account: TestAccount | null, body: unknown, headers: Record<string, string> = {}) => {
  const request = apiRequest(`/api/documents/${encodeURIComponent(id)}`, { method: "PATCH", account, body });
  for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
  return documentRoute.PATCH(request, routeParams({ id }));
};
const list = (account: TestAccount | null) => documentsRoute.GET(apiRequest("/api/documents", { account }));
const create = (account: TestAccount | null, body: unknown) => documentsRoute.POST(apiRequest("/api/documents", { method: "POST", account, body }));

/** `prisma` for the documents repository only (getDatabase), with model calls replaced by `model`. */
function withModels(prisma: PrismaClient, model: (name: string, real: Record<string, (...args: unknown[]) => Promise<unknown>>) => unknown): PrismaClient {
  return new Proxy(prisma, {
    get(target, property) {
      const real = Reflect.get(target, property, target) as unknown;
      if (typeof property !== "string" || property.startsWith("$") || typeof real !== "object" || real === null) return real;
      return model(property, real as Record<string, (...args: unknown[]) => Promise<unknown>>);
    },
  });
}

for (const kind of databaseKinds) {
  describe(`documents API errors (${kind})`, () => {
    let context: ApiTestContext;
    let owner: TestAccount;
    let stranger: TestAccount;
    let viewer: TestAccount;
    let editor: TestAccount;
    let documentId: string;
    const TITLE = "Original title";

    async function storedTitle(): Promise<string> {
      return (await context.database.prisma.document.findUniqueOrThrow({ where: { id: documentId } })).title;
    }

    before(async () => {
      context = (await startApiContext(kind, { SIGNUP: "open" }))!;
      await signUp(context.access, "Ada Admin"); // the first account is the admin (owner of everything): kept out of the way
      owner = await signUp(context.access, "Olga Owner");
      stranger = await signUp(context.access, "Sam Stranger");
      viewer = await signUp(context.access, "Vera Viewer");
      editor = await signUp(context.access, "Eddie Editor");
      documentId = await createOwnedDocument(context.database.prisma, owner.id, TITLE);
      for (const [account, role] of [[viewer, "viewer"], [editor, "editor"]] as const) {
        await context.database.prisma.documentMember.create({ data: { documentId, userId: account.id, role } });
      }
    });
    after(async () => {
      await context?.close();
    });

    test("400 invalid_id for an id that cannot be one, before any access check", async () => {
      for (const id of ["bad id!", "../etc/passwd", "a".repeat(65), "", "ünïcode", "a\u0000b"]) {
        await assertError(await getOne(id, owner), 400, "invalid_id", `GET ${JSON.stringify(id)}`);
        await assertError(await getOne(id, null), 400, "invalid_id", `GET ${JSON.stringify(id)} signed out`);
        await assertError(await patchOne(id, owner, { title: "x" }), 400, "invalid_id", `PATCH ${JSON.stringify(id)}`);
      }
      // The longest valid id is an id: it gets past the check (and is simply not there).
      assert.notEqual((await getOne("a".repeat(64), owner)).status, 400);
    });

    test("400 bad_request for a body that is not a JSON object; nothing changes", async () => {
      const documentsBefore = await context.database.prisma.document.count();
      for (const body of ["{", '{"title": }', "title=x", '["title"]', '"title"', "null", "42"]) {
        await assertError(await patchOne(documentId, owner, body), 400, "bad_request", `PATCH ${body}`);
        await assertError(await create(owner, body), 400, "bad_request", `POST ${body}`);
        await assertError(
          await linksRoute.POST(apiRequest(`/api/documents/${documentId}/links`, { method: "POST", account: owner, body }), routeParams({ id: documentId })),
          400,
          "bad_request",
          `POST links ${body}`,
        );
      }
      assert.equal(await storedTitle(), TITLE);
      assert.equal(await context.database.prisma.document.count(), documentsBefore);
      assert.equal(await context.database.prisma.shareLink.count({ where: { documentId } }), 0);
    });

    test("400 invalid_title for a missing, empty, non-string or too long title; the title is kept", async () => {
      const documentsBefore = await context.database.prisma.document.count();
      const tooLong = "x".repeat(DOCUMENT_TITLE_MAX_CHARS + 1);
      for (const body of [{}, { title: "" }, { title: "   " }, { title: 42 }, { title: null }, { title: ["a"] }, { title: tooLong }, { name: "x" }]) {
        await assertError(await patchOne(documentId, owner, body), 400, "invalid_title", `PATCH ${JSON.stringify(body).slice(0, 40)}`);
        await assertError(await patchOne(documentId, editor, body), 400, "invalid_title", `PATCH as editor ${JSON.stringify(body).slice(0, 40)}`);
      }
      for (const title of ["", "   ", 42, null, tooLong]) {
        await assertError(await create(owner, { title }), 400, "invalid_title", `POST ${JSON.stringify(title).slice(0, 40)}`);
      }
      assert.equal(await storedTitle(), TITLE);
      assert.equal(await context.database.prisma.document.count(), documentsBefore);
      // The limit itself is a title (code points: an emoji counts once).
      const longest = "🎉".repeat(DOCUMENT_TITLE_MAX_CHARS);
      assert.equal((await patchOne(documentId, owner, { title: longest })).status, 200);
      assert.equal(await storedTitle(), longest);
      assert.equal((await patchOne(documentId, owner, { title: TITLE })).status, 200);
    });

    test("404 not_found for a document deleted during the request, an unknown link, a non-member", async (t) => {
      // The access check passed, then the document went (deleted by its owner elsewhere): the
      // repository's reads and writes find nothing. Only the repository sees the deletion.
      const doomed = await createOwnedDocument(context.database.prisma, owner.id, "Doomed");
      const real = context.database.prisma;
      const deletingFirst = withModels(real, (name, model) =>
        name !== "document"
          ? model
          : new Proxy(model, {
              get: (target, method) => {
                const call = Reflect.get(target, method, target) as (...args: unknown[]) => Promise<unknown>;
                if (method !== "findUnique" && method !== "update") return call;
                return async (...args: unknown[]) => {
                  await real.document.deleteMany({ where: { id: doomed } });
                  return call.apply(target, args);
                };
              },
            }),
      );
      setDatabase({ ...context.database, prisma: deletingFirst });
      t.after(() => setDatabase(context.database));
      await assertError(await getOne(doomed, owner), 404, "not_found", "GET a document deleted after the access check");
      await real.document.create({ data: { id: doomed, title: "Doomed again", ownerId: owner.id } });
      await assertError(await patchOne(doomed, owner, { title: "Renamed" }), 404, "not_found", "PATCH a document deleted after the access check");
      assert.equal(await real.document.count({ where: { id: doomed } }), 0, "nothing recreated");
      setDatabase(context.database);

      await assertError(
        await linkRoute.DELETE(
          apiRequest(`/api/documents/${documentId}/links/nope`, { method: "DELETE", account: owner }),
          routeParams({ id: documentId, linkId: "nope" }),
        ),
        404,
        "not_found",
        "DELETE an unknown link",
      );
      await assertError(
        await memberRoute.DELETE(
          apiRequest(`/api/documents/${documentId}/members/${stranger.id}`, { method: "DELETE", account: owner }),
          routeParams({ id: documentId, userId: stranger.id }),
        ),
        404,
        "not_found",
        "DELETE a non-member",
      );
    });

    test("a missing document is answered exactly like one the caller has no role on (ids cannot be probed)", async () => {
      const missing = newDocumentId();
      for (const account of [stranger, null]) {
        const who = account ? "signed in" : "signed out";
        const forExisting = await getOne(documentId, account);
        const forMissing = await getOne(missing, account);
        assert.equal(forMissing.status, forExisting.status, who);
        assert.deepEqual(await forMissing.json(), await forExisting.json(), who);
      }
    });

    test("403 forbidden for a caller without the role to change the document; nothing changes", async () => {
      const { token: viewToken } = await createLink(context.database.prisma, documentId, "viewer");
      const { token: commentToken } = await createLink(context.database.prisma, documentId, "commenter");
      await assertError(await patchOne(documentId, stranger, { title: "Mine now" }), 403, "forbidden", "PATCH by an account with no role");
      await assertError(await patchOne(documentId, viewer, { title: "Mine now" }), 403, "forbidden", "PATCH by a viewer");
      await assertError(await getOne(documentId, stranger), 403, "forbidden", "GET by an account with no role");
      for (const [what, token] of [["a view link", viewToken], ["a comment link", commentToken]] as const) {
        await assertError(await patchOne(documentId, null, { title: "Mine now" }, { [SHARE_TOKEN_HEADER]: token }), 403, "forbidden", `PATCH through ${what}`);
      }
      // Sharing is the owner's: an editor may rename, but not create links or grant roles.
      await assertError(
        await linksRoute.POST(apiRequest(`/api/documents/${documentId}/links`, { method: "POST", account: editor, body: { role: "editor" } }), routeParams({ id: documentId })),
        403,
        "forbidden",
        "POST a link as an editor",
      );
      await assertError(
        await membersRoute.POST(
          apiRequest(`/api/documents/${documentId}/members`, { method: "POST", account: editor, body: { email: stranger.email, role: "editor" } }),
          routeParams({ id: documentId }),
        ),
        403,
        "forbidden",
        "POST a member as an editor",
      );
      // The owner, from another origin (a page elsewhere using their cookie).
      await assertError(await patchOne(documentId, owner, { title: "Mine now" }, { origin: "https://evil.example" }), 403, "forbidden", "PATCH cross-origin");
      assert.equal(await storedTitle(), TITLE);
      assert.equal(await context.database.prisma.shareLink.count({ where: { documentId } }), 2);
      assert.equal(await context.database.prisma.documentMember.count({ where: { documentId, userId: stranger.id } }), 0);
    });

    test("401 unauthenticated when signed out (or with a dead session)", async () => {
      const documentsBefore = await context.database.prisma.document.count();
      const forged = { ...owner, cookie: owner.cookie.replace(/=.*/, "=not-a-session") };
      for (const account of [null, forged]) {
        const who = account ? "forged cookie" : "signed out";
        await assertError(await list(account), 401, "unauthenticated", `GET list, ${who}`);
        await assertError(await create(account, { title: "Anonymous" }), 401, "unauthenticated", `POST, ${who}`);
        await assertError(await getOne(documentId, account), 401, "unauthenticated", `GET, ${who}`);
        await assertError(await patchOne(documentId, account, { title: "Anonymous" }), 401, "unauthenticated", `PATCH, ${who}`);
        await assertError(
          await linksRoute.GET(apiRequest(`/api/documents/${documentId}/links`, { account }), routeParams({ id: documentId })),
          401,
          "unauthenticated",
          `GET links, ${who}`,
        );
      }
      assert.equal(await storedTitle(), TITLE);
      assert.equal(await context.database.prisma.document.count(), documentsBefore);
    });

    test("503 unavailable with Retry-After when the documents store fails after the access check", async (t) => {
      const consoleError = t.mock.method(log, "error", () => undefined);
      const refusing = withModels(context.database.prisma, () =>
        new Proxy({}, { get: () => () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })) }),
      );
      setDatabase({ ...context.database, prisma: refusing });
      t.after(() => setDatabase(context.database));
      await assertError(await getOne(documentId, owner), 503, "unavailable", "GET", "2");
      await assertError(await patchOne(documentId, owner, { title: "Renamed" }), 503, "unavailable", "PATCH", "2");
      await assertError(await list(owner), 503, "unavailable", "GET list", "2");
      await assertError(await create(owner, { title: "New" }), 503, "unavailable", "POST", "2");
      assert.ok(consoleError.mock.callCount() >= 4, "each failure is logged");
      setDatabase(context.database);
      assert.equal((await getOne(documentId, owner)).status, 200, "answers again once the store does");
      assert.equal(await storedTitle(), TITLE);
    });

    // Last: it closes the database. (A closed PostgreSQL client reconnects on the next query;
    // its outage is the cut proxy below.)
    if (kind === "pglite") {
      test("every route answers 503 with Retry-After once the embedded database is closed", async (t) => {
        await context.database.close();
        await assertAllUnavailable(owner, documentId, t);
      });
    }
  });
}

/** Every documents route a signed-in owner would call, each expected to answer 503 + Retry-After. */
async function assertAllUnavailable(owner: TestAccount, documentId: string, t: TestContext): Promise<void> {
  const consoleError = t.mock.method(log, "error", () => undefined);
  const calls: [string, () => Promise<Response>][] = [
    ["GET list", () => list(owner)],
    ["POST", () => create(owner, { title: "During the outage" })],
    ["GET", () => getOne(documentId, owner)],
    ["PATCH", () => patchOne(documentId, owner, { title: "During the outage" })],
    ["GET links", () => linksRoute.GET(apiRequest(`/api/documents/${documentId}/links`, { account: owner }), routeParams({ id: documentId }))],
    ["GET members", () => membersRoute.GET(apiRequest(`/api/documents/${documentId}/members`, { account: owner }), routeParams({ id: documentId }))],
  ];
  for (const [what, call] of calls) {
    let response: Response;
    try {
      response = await call();
    } catch (error) {
      assert.fail(`${what} threw (a 500 from Next) instead of answering 503: ${String(error)}`);
    }
    await assertError(response, 503, "unavailable", what, "2");
  }
  assert.ok(consoleError.mock.callCount() >= calls.length, "each failure is logged");
  consoleError.mock.restore();
}

describe("documents API during a PostgreSQL outage", { skip: databaseKinds.includes("postgres") ? false : "DATABASE_URL is unset" }, () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let database: Database;
  let access: AccessContext;

  before(async () => {
    // startApiContext, with the database reached through a proxy that can cut it off.
    process.env.LOG_LEVEL = "silent";
    testDb = (await createTestDatabase("postgres"))!;
    const target = new URL(testDb.options.databaseUrl!);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    const config = loadConfig({ PUBLIC_URL: API_ORIGIN, DATABASE_URL: viaProxy.toString(), DATA_DIR: testDb.options.dataDir, NODE_ENV: "production", SIGNUP: "open" });
    database = await openDatabase({ databaseUrl: viaProxy.toString(), dataDir: testDb.options.dataDir });
    setDatabase(database);
    access = await createAccessContext(database, config, log, null);
    setAccessContext(access);
  });
  after(async () => {
    await access?.changes.close();
    await closeDatabase();
    await proxy?.close();
    await testDb?.drop();
  });

  test("every route answers 503 with Retry-After while the database is cut off, and recovers", async (t) => {
    const owner = await signUp(access, "Olga Owner");
    const documentId = await createOwnedDocument(database.prisma, owner.id, "Before the outage");
    proxy.cut();
    await assertAllUnavailable(owner, documentId, t);
    proxy.restore();
    const response = await getOne(documentId, owner);
    assert.equal(response.status, 200, "answers again once the database is back");
    assert.equal(((await response.json()) as { title: string }).title, "Before the outage");
  });
});
