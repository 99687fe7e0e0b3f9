// Text sent to the documents API that contains control characters (NUL, line breaks, DEL,
// C1) or lone surrogates is refused with 400 before it reaches the database: PostgreSQL
// rejects NUL in text, which used to surface as 503 "store unavailable" or a 500.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { databaseKinds } from "../testing/testDatabase.ts";
import { apiRequest, errorOf, routeParams, startApiContext, type ApiTestContext } from "../testing/apiFixtures.ts";
import { createLink, createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";
import * as documentRoute from "../../app/api/documents/[id]/route.ts";
import * as membersRoute from "../../app/api/documents/[id]/members/route.ts";
import * as memberRoute from "../../app/api/documents/[id]/members/[userId]/route.ts";
import * as linkRoute from "../../app/api/documents/[id]/links/[linkId]/route.ts";

const BAD_TEXTS = ["a\u0000b", "line\nbreak", "tab\there", "del\u007f", "c1\u0085", "lone\ud800surrogate"];

for (const kind of databaseKinds) {
  describe(`control characters in API input (${kind})`, () => {
    let context: ApiTestContext;
    let owner: TestAccount;
    let documentId: string;

    before(async () => {
      context = (await startApiContext(kind, { SIGNUP: "open" }))!;
      owner = await signUp(context.access, "Olga Owner");
      documentId = await createOwnedDocument(context.database.prisma, owner.id, "Clean");
    });

    after(async () => {
      await context?.close();
    });

    test("POST /api/documents: a title with a control character is 400 invalid_title, nothing is created", async () => {
      for (const title of BAD_TEXTS) {
        const response = await documentsRoute.POST(apiRequest("/api/documents", { method: "POST", account: owner, body: { title } }));
        assert.equal(response.status, 400, JSON.stringify(title));
        assert.equal(response.headers.get("retry-after"), null);
        const error = await errorOf(response);
        assert.equal(error.code, "invalid_title");
        assert.match(error.message, /control character/i);
      }
      assert.equal(await context.database.prisma.document.count({ where: { ownerId: owner.id } }), 1);
    });

    test("PATCH /api/documents/<id>: a title with a control character is 400 invalid_title, the title is kept", async () => {
      for (const title of BAD_TEXTS) {
        const response = await documentRoute.PATCH(
          apiRequest(`/api/documents/${documentId}`, { method: "PATCH", account: owner, body: { title } }),
          routeParams({ id: documentId }),
        );
        assert.equal(response.status, 400, JSON.stringify(title));
        assert.match((await errorOf(response)).message, /control character/i);
      }
      const kept = await context.database.prisma.document.findUniqueOrThrow({ where: { id: documentId } });
      assert.equal(kept.title, "Clean");
    });

    test("a title with ordinary Unicode (accents, emoji, CJK) is still accepted", async () => {
      const title = "Café ☕ 会議 🎉";
      const response = await documentRoute.PATCH(
        apiRequest(`/api/documents/${documentId}`, { method: "PATCH", account: owner, body: { title } }),
        routeParams({ id: documentId }),
      );
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { title: string }).title, title);
    });

    test("POST /api/documents/<id>/members: an email with a control character is 400 bad_request", async () => {
      for (const text of BAD_TEXTS) {
        const response = await membersRoute.POST(
          apiRequest(`/api/documents/${documentId}/members`, { method: "POST", account: owner, body: { email: `x${text}@example.test`, role: "viewer" } }),
          routeParams({ id: documentId }),
        );
        assert.equal(response.status, 400, JSON.stringify(text));
        const error = await errorOf(response);
        assert.equal(error.code, "bad_request");
        assert.match(error.message, /control character/i);
      }
    });

    test("DELETE /api/documents/<id>/members/<userId>: a userId with a control character is 400", async () => {
      const response = await memberRoute.DELETE(
        apiRequest(`/api/documents/${documentId}/members/x%00y`, { method: "DELETE", account: owner }),
        routeParams({ id: documentId, userId: "x\u0000y" }),
      );
      assert.equal(response.status, 400);
      assert.match((await errorOf(response)).message, /control character/i);
    });

    test("DELETE /api/documents/<id>/links/<linkId>: a linkId with a control character is 400, real links still revoke", async () => {
      const response = await linkRoute.DELETE(
        apiRequest(`/api/documents/${documentId}/links/x%00y`, { method: "DELETE", account: owner }),
        routeParams({ id: documentId, linkId: "x\u0000y" }),
      );
      assert.equal(response.status, 400);
      assert.match((await errorOf(response)).message, /control character/i);

      const link = await createLink(context.database.prisma, documentId, "viewer");
      const revoked = await linkRoute.DELETE(
        apiRequest(`/api/documents/${documentId}/links/${link.id}`, { method: "DELETE", account: owner }),
        routeParams({ id: documentId, linkId: link.id }),
      );
      assert.equal(revoked.status, 200);
    });
  });
}
