// One account can no longer create documents and share links as fast as a script can send
// requests: after a burst it gets 429 with Retry-After until its bucket refills.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { databaseKinds } from "../testing/testDatabase.ts";
import { apiRequest, errorOf, routeParams, startApiContext, type ApiTestContext } from "../testing/apiFixtures.ts";
import { createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import {
  createCreationLimiters,
  DOCUMENT_CREATION_BURST,
  DOCUMENT_CREATIONS_PER_MINUTE,
  LINK_CREATION_BURST,
  setCreationLimiters,
} from "./creationLimits.ts";
import * as documentsRoute from "../../app/api/documents/route.ts";
import * as linksRoute from "../../app/api/documents/[id]/links/route.ts";

for (const kind of databaseKinds) {
  describe(`creation rate limits (${kind})`, () => {
    let context: ApiTestContext;
    let clockMs = 0;

    before(async () => {
      context = (await startApiContext(kind, { SIGNUP: "open" }))!;
    });

    beforeEach(() => {
      // The clock stands still unless a test moves it, so a slow machine cannot refill a token
      // in the middle of a burst.
      clockMs = 0;
      setCreationLimiters(createCreationLimiters(() => clockMs));
    });

    after(async () => {
      await context?.close();
    });

    const createDocument = (account: TestAccount) =>
      documentsRoute.POST(apiRequest("/api/documents", { method: "POST", account, body: {} }));

    test(`the ${DOCUMENT_CREATION_BURST + 1}st document in a burst is 429 with Retry-After; others are not affected`, async () => {
      const spammer = await signUp(context.access, "Spam Documents");
      for (let i = 0; i < DOCUMENT_CREATION_BURST; i++) assert.equal((await createDocument(spammer)).status, 201, `creation ${i + 1}`);
      const refused = await createDocument(spammer);
      assert.equal(refused.status, 429);
      const retryAfter = Number(refused.headers.get("retry-after"));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${refused.headers.get("retry-after")}`);
      const error = await errorOf(refused);
      assert.equal(error.code, "rate_limited");
      assert.match(error.message, /too many|slow down|try again/i);
      assert.equal(await context.database.prisma.document.count({ where: { ownerId: spammer.id } }), DOCUMENT_CREATION_BURST);

      // Another account has its own budget.
      const bystander = await signUp(context.access, "Bystander");
      assert.equal((await createDocument(bystander)).status, 201);

      // Once Retry-After has passed, one more is allowed, and then the account waits again.
      clockMs += retryAfter * 1000;
      assert.equal((await createDocument(spammer)).status, 201);
      assert.equal((await createDocument(spammer)).status, 429);
      // A full minute refills DOCUMENT_CREATIONS_PER_MINUTE.
      clockMs += 60_000;
      for (let i = 0; i < DOCUMENT_CREATIONS_PER_MINUTE; i++) assert.equal((await createDocument(spammer)).status, 201);
      assert.equal((await createDocument(spammer)).status, 429);
    });

    test("refused requests (bad title) spend nothing", async () => {
      const careful = await signUp(context.access, "Careful");
      for (let i = 0; i < DOCUMENT_CREATION_BURST + 5; i++) {
        const response = await documentsRoute.POST(apiRequest("/api/documents", { method: "POST", account: careful, body: { title: "" } }));
        assert.equal(response.status, 400);
      }
      assert.equal((await createDocument(careful)).status, 201);
    });

    test(`the ${LINK_CREATION_BURST + 1}st share link in a burst is 429 with Retry-After`, async () => {
      const owner = await signUp(context.access, "Spam Links");
      const documentId = await createOwnedDocument(context.database.prisma, owner.id);
      const createLink = () =>
        linksRoute.POST(
          apiRequest(`/api/documents/${documentId}/links`, { method: "POST", account: owner, body: { role: "viewer" } }),
          routeParams({ id: documentId }),
        );
      for (let i = 0; i < LINK_CREATION_BURST; i++) assert.equal((await createLink()).status, 201, `link ${i + 1}`);
      const refused = await createLink();
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get("retry-after")) >= 1);
      assert.equal((await errorOf(refused)).code, "rate_limited");
      assert.equal(await context.database.prisma.shareLink.count({ where: { documentId } }), LINK_CREATION_BURST);
    });
  });
}
