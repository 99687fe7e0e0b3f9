// Document images over HTTP (issue 12): POST /api/documents/<id>/images and GET
// .../images/<imageId> through the route handlers with real Requests, on PGlite and
// PostgreSQL; and the server's body limit, which lets only the upload route past 1 MiB.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { GIF_BYTES, JPEG_BYTES, SVG_WITH_SCRIPT, WEBP_BYTES, solidPng } from "../testing/imageFixtures.ts";
import { exchange, postHead } from "../testing/rawHttp.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import type { RunningServer } from "../startServer.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { AccountRateLimiter } from "../documents/AccountRateLimiter.ts";
import { deleteDocumentForever } from "../documents/documentTrash.ts";
import { IMAGE_UPLOAD_BURST, IMAGE_UPLOAD_LIMIT, setImageUploadLimiter } from "./imageUploadLimits.ts";
import { imageUrl } from "../../lib/images/imageUrl.ts";
import { storeImage } from "./imageRepository.ts";
import { MAX_REQUEST_BODY_BYTES } from "../http/limitRequestBody.ts";
import * as uploadRoute from "../../app/api/documents/[id]/images/route.ts";
import * as imageRoute from "../../app/api/documents/[id]/images/[imageId]/route.ts";
import * as documentRoute from "../../app/api/documents/[id]/route.ts";

process.env.LOG_LEVEL = "silent";

/** MAX_UPLOAD_BYTES in these tests: past the 1 MiB of the other routes, small enough to send often. */
const UPLOAD_LIMIT = 3 * 1024 * 1024;
process.env.MAX_UPLOAD_BYTES = String(UPLOAD_LIMIT);

const MB = 1024 * 1024;
const PNG = solidPng(4, 3);

interface Caller {
  account?: TestAccount | null;
  token?: string;
  /** Send the token as ?token= instead of the x-share-token header. */
  tokenInQuery?: boolean;
  origin?: string;
}

for (const kind of databaseKinds) {
  describe(`document images (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let owner: TestAccount;
    let stranger: TestAccount;
    let documentId: string;

    before(async () => {
      db = (await createTestDatabase(kind))!;
      assert.ok(db, `${kind} database`);
      server = await startAppTestServer(db.options, { SIGNUP: "open", MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT) });
      owner = await signUp(server.access, "Olga Owner");
      stranger = await signUp(server.access, "Sam Stranger");
    });

    beforeEach(async () => {
      setImageUploadLimiter(new AccountRateLimiter(IMAGE_UPLOAD_LIMIT));
      documentId = await createOwnedDocument(server.database.prisma, owner.id);
    });

    after(async () => {
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    function request(url: string, { account = owner, token, tokenInQuery, origin }: Caller, init: RequestInit = {}): Request {
      const headers = new Headers(init.headers);
      if (account) headers.set("cookie", account.cookie);
      if (token && !tokenInQuery) headers.set("x-share-token", token);
      if (origin) headers.set("origin", origin);
      const full = new URL(url, `http://127.0.0.1:${server.port}`);
      if (token && tokenInQuery) full.searchParams.set("token", token);
      return new Request(full, { ...init, headers, ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);
    }

    function upload(id: string, body: BodyInit | null, caller: Caller = {}, headers: Record<string, string> = {}): Promise<Response> {
      return uploadRoute.POST(request(`/api/documents/${id}/images`, caller, { method: "POST", body, headers }), { params: Promise.resolve({ id }) });
    }

    function fetchImage(id: string, imageId: string, caller: Caller = {}, headers: Record<string, string> = {}): Promise<Response> {
      return imageRoute.GET(request(imageUrl(id, imageId), caller, { headers }), { params: Promise.resolve({ id, imageId }) });
    }

    async function uploaded(response: Response): Promise<{ id: string; src: string; contentType: string; byteSize: number }> {
      assert.equal(response.status, 201, await response.clone().text());
      return response.json();
    }

    async function storedCount(id: string): Promise<number> {
      return server.database.prisma.documentImage.count({ where: { documentId: id } });
    }

    test("an editor uploads a PNG; it is served with its type, nosniff, an inline disposition and a private cache keyed on its SHA-256", async () => {
      const image = await uploaded(await upload(documentId, PNG));
      assert.equal(image.src, imageUrl(documentId, image.id));
      assert.equal(image.contentType, "image/png");
      assert.equal(image.byteSize, PNG.length);

      const response = await fetchImage(documentId, image.id);
      assert.equal(response.status, 200);
      assert.deepEqual(new Uint8Array(await response.arrayBuffer()), PNG);
      assert.equal(response.headers.get("content-type"), "image/png");
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      assert.equal(response.headers.get("content-disposition"), `inline; filename="${image.id}.png"`);
      assert.match(response.headers.get("cache-control")!, /^private, max-age=\d{6,}/);
      const sha256 = createHash("sha256").update(PNG).digest("hex");
      assert.equal(response.headers.get("etag"), `"${sha256}"`);
      const row = await server.database.prisma.documentImage.findUniqueOrThrow({ where: { id: image.id } });
      assert.equal(row.sha256, sha256);
      assert.equal(row.uploaderId, owner.id);

      // The browser asks again with the ETag: 304, no body.
      const again = await fetchImage(documentId, image.id, {}, { "if-none-match": `"${sha256}"` });
      assert.equal(again.status, 304);
      assert.equal((await again.arrayBuffer()).byteLength, 0);
    });

    test("the type comes from the bytes: a PNG sent as image/jpeg (named .jpg) is a PNG; JPEG, GIF and WebP are recognised", async () => {
      const disguised = await uploaded(await upload(documentId, PNG, {}, { "content-type": "image/jpeg", "x-file-name": "photo.jpg" }));
      assert.equal(disguised.contentType, "image/png");
      const served = await fetchImage(documentId, disguised.id);
      assert.equal(served.headers.get("content-type"), "image/png");
      assert.equal(served.headers.get("content-disposition"), `inline; filename="${disguised.id}.png"`);

      for (const [bytes, contentType, extension] of [
        [JPEG_BYTES, "image/jpeg", "jpg"],
        [GIF_BYTES, "image/gif", "gif"],
        [WEBP_BYTES, "image/webp", "webp"],
      ] as const) {
        const image = await uploaded(await upload(documentId, bytes, {}, { "content-type": "application/octet-stream" }));
        assert.equal(image.contentType, contentType);
        const response = await fetchImage(documentId, image.id);
        assert.equal(response.headers.get("content-type"), contentType);
        assert.equal(response.headers.get("content-disposition"), `inline; filename="${image.id}.${extension}"`);
      }
    });

    test("an SVG (with a script) is refused 415 naming SVG; other files 415; an empty body 400; a form 415; nothing is stored", async () => {
      const svg = await upload(documentId, SVG_WITH_SCRIPT, {}, { "content-type": "image/svg+xml" });
      assert.equal(svg.status, 415);
      const svgError = ((await svg.json()) as { error: { code: string; message: string } }).error;
      assert.equal(svgError.code, "unsupported_media_type");
      assert.match(svgError.message, /SVG images are not accepted/);

      // A PNG's name and type do not make text an image.
      const text = await upload(documentId, new TextEncoder().encode("<html><script>alert(1)</script></html>"), {}, { "content-type": "image/png" });
      assert.equal(text.status, 415);
      assert.match(((await text.json()) as { error: { message: string } }).error.message, /Only PNG, JPEG, GIF and WebP/);

      assert.equal((await upload(documentId, new Uint8Array(0))).status, 400);
      const form = new FormData();
      form.set("file", new Blob([PNG], { type: "image/png" }), "a.png");
      assert.equal((await upload(documentId, form)).status, 415);
      assert.equal(await storedCount(documentId), 0);
    });

    test("past MAX_UPLOAD_BYTES: 413 on the declared length without reading the body, and as soon as a streamed body passes it", async () => {
      // A body whose every pull is counted: with a declared length past the limit none is read.
      let pulled = 0;
      const endless = (): ReadableStream<Uint8Array> =>
        new ReadableStream({
          pull(controller) {
            pulled += 64 * 1024;
            controller.enqueue(new Uint8Array(64 * 1024));
          },
        });
      const declared = await upload(documentId, endless(), {}, { "content-length": String(UPLOAD_LIMIT + 1) });
      assert.equal(declared.status, 413);
      assert.match(((await declared.json()) as { error: { message: string } }).error.message, /larger than 3 MiB/);
      assert.ok(pulled <= 2 * 64 * 1024, `read ${pulled} bytes of a body it refused by its length`);

      pulled = 0;
      const streamed = await upload(documentId, endless());
      assert.equal(streamed.status, 413);
      assert.ok(pulled <= UPLOAD_LIMIT + 3 * 64 * 1024, `read ${pulled} bytes, the limit is ${UPLOAD_LIMIT}`);
      assert.equal(await storedCount(documentId), 0);

      // Just within the limit is fine (past the 1 MiB of every other route).
      const big = new Uint8Array(UPLOAD_LIMIT);
      big.set(PNG);
      assert.equal((await uploaded(await upload(documentId, big))).byteSize, UPLOAD_LIMIT);
    });

    test("only editors upload: viewers, commenters and strangers 403, nobody 401, another origin 403; editor links may", async () => {
      for (const role of ["viewer", "commenter"] as const) {
        const link = await createLink(server.database.prisma, documentId, role);
        const refused = await upload(documentId, PNG, { account: null, token: link.token });
        assert.equal(refused.status, 403, `${role} link`);
        await server.database.prisma.documentMember.create({ data: { documentId, userId: stranger.id, role } });
        assert.equal((await upload(documentId, PNG, { account: stranger })).status, 403, `${role} member`);
        await server.database.prisma.documentMember.delete({ where: { documentId_userId: { documentId, userId: stranger.id } } });
      }
      assert.equal((await upload(documentId, PNG, { account: stranger })).status, 403);
      assert.equal((await upload(documentId, PNG, { account: null })).status, 401);
      assert.equal((await upload(documentId, PNG, { origin: "https://evil.example" })).status, 403);
      assert.equal(await storedCount(documentId), 0);

      const editLink = await createLink(server.database.prisma, documentId, "editor");
      const byGuest = await uploaded(await upload(documentId, PNG, { account: null, token: editLink.token }));
      const row = await server.database.prisma.documentImage.findUniqueOrThrow({ where: { id: byGuest.id } });
      assert.equal(row.uploaderId, null);
    });

    test("whoever may open the document sees its images (a view link's guest too); another document's link and strangers do not", async () => {
      const image = await uploaded(await upload(documentId, PNG));
      const viewLink = await createLink(server.database.prisma, documentId, "viewer");
      assert.equal((await fetchImage(documentId, image.id, { account: null, token: viewLink.token })).status, 200);
      assert.equal((await fetchImage(documentId, image.id, { account: null, token: viewLink.token, tokenInQuery: true })).status, 200);

      const otherDocument = await createOwnedDocument(server.database.prisma, stranger.id);
      const otherLink = await createLink(server.database.prisma, otherDocument, "editor");
      assert.equal((await fetchImage(documentId, image.id, { account: null, token: otherLink.token })).status, 403);
      // Nor under the other document's URL, where the link is good: images belong to one document.
      assert.equal((await fetchImage(otherDocument, image.id, { account: null, token: otherLink.token })).status, 404);
      assert.equal((await fetchImage(documentId, image.id, { account: stranger })).status, 403);
      assert.equal((await fetchImage(documentId, image.id, { account: null })).status, 401);
      assert.equal((await fetchImage(documentId, "no-such-image")).status, 404);
      assert.equal((await fetchImage(documentId, "bad.id")).status, 400);
    });

    test("in Trash: images answer 410 and uploads too; deleting the document forever deletes its images", async () => {
      const image = await uploaded(await upload(documentId, PNG));
      const trashed = await documentRoute.DELETE(request(`/api/documents/${documentId}`, {}, { method: "DELETE" }), { params: Promise.resolve({ id: documentId }) });
      assert.ok(trashed.status < 300, `DELETE answered ${trashed.status}`);
      assert.equal((await fetchImage(documentId, image.id)).status, 410);
      assert.equal((await upload(documentId, PNG)).status, 410);
      assert.equal(await storedCount(documentId), 1);

      assert.equal((await deleteDocumentForever(documentId)).ok, true);
      assert.equal(await storedCount(documentId), 0);
      // An upload that passed the access check just before the document was deleted stores nothing.
      assert.equal(await storeImage(server.database.sql, { documentId, uploaderId: owner.id, type: { contentType: "image/png", extension: "png" }, bytes: PNG }), null);
      assert.equal(await storedCount(documentId), 0);
    });

    test(`uploads are rate limited per account: ${IMAGE_UPLOAD_BURST} at once, then 429 with Retry-After`, async () => {
      const now = performance.now();
      setImageUploadLimiter(new AccountRateLimiter(IMAGE_UPLOAD_LIMIT, () => now));
      for (let i = 0; i < IMAGE_UPLOAD_BURST; i++) await uploaded(await upload(documentId, GIF_BYTES));
      const refused = await upload(documentId, GIF_BYTES);
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get("retry-after")) >= 1);
      // Another account has its own budget.
      const editor = await signUp(server.access, "Eve Editor");
      await server.database.prisma.documentMember.create({ data: { documentId, userId: editor.id, role: "editor" } });
      await uploaded(await upload(documentId, GIF_BYTES, { account: editor }));
    });

    test("the server lets only POST /api/documents/<id>/images past 1 MiB, and refuses it past MAX_UPLOAD_BYTES before reading it", async () => {
      const chunk = Buffer.alloc(64 * 1024, 1);
      const send = (method: string, url: string, total: number, headers: Record<string, string> = { "content-length": String(total) }) =>
        exchange(server.port, postHead(url, { "content-type": "image/png", ...headers }).replace(/^POST/, method), { body: { chunk, total, chunked: !("content-length" in headers) } });
      // This server has no Next, so a request let through is answered 404.
      const within = await send("POST", `/api/documents/${documentId}/images`, 2 * MB);
      assert.equal(within.status, 404, within.received.slice(0, 200));
      assert.equal(within.bodySent, 2 * MB);

      const declared = await send("POST", `/api/documents/${documentId}/images`, 64 * MB, { "content-length": String(64 * MB) });
      assert.equal(declared.status, 413);
      assert.match(declared.received, /The image is larger than 3 MiB/);
      assert.ok(declared.bodySent < 16 * MB, `answered after ${declared.bodySent} bytes`);

      const chunked = await send("POST", `/api/documents/${documentId}/images`, 64 * MB, { "transfer-encoding": "chunked" });
      assert.equal(chunked.status, 413);
      assert.ok(chunked.bodySent < 16 * MB, `answered after ${chunked.bodySent} bytes`);

      // Nothing else grows: other methods, near misses of the path, other routes keep 1 MiB.
      for (const [method, url] of [
        ["PUT", `/api/documents/${documentId}/images`],
        ["POST", `/api/documents/${documentId}/images/`],
        ["POST", `/api/documents/${documentId}/images/x`],
        ["POST", `/api/documents/${documentId}/%69mages`],
        ["POST", `/api/documents/${documentId}/content`],
        ["POST", "/api/documents/a/../b/images"],
        ["POST", `/x/api/documents/${documentId}/images`],
      ] as const) {
        const result = await send(method, url, MAX_REQUEST_BODY_BYTES + 64 * 1024);
        assert.equal(result.status, 413, `${method} ${url}`);
      }
    });
  });
}

describe("MAX_UPLOAD_BYTES", () => {
  test("defaults to 10 MiB; a bad value is a ConfigError naming it", () => {
    assert.equal(loadConfig({}).maxUploadBytes, 10 * MB);
    assert.equal(loadConfig({ MAX_UPLOAD_BYTES: "5242880" }).maxUploadBytes, 5 * MB);
    for (const value of ["10MB", "-1", "12.5", "0", String(200 * MB)]) {
      assert.throws(
        () => loadConfig({ MAX_UPLOAD_BYTES: value }),
        (error: unknown) => error instanceof ConfigError && error.variable === "MAX_UPLOAD_BYTES",
        value,
      );
    }
  });

  test("the server refuses to start with a bad MAX_UPLOAD_BYTES and says which variable", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env, MAX_UPLOAD_BYTES: "10MB", NODE_ENV: "production" },
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Invalid MAX_UPLOAD_BYTES: expected an integer, got "10MB"/);
  });
});
