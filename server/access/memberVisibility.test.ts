// POST /api/documents/<id>/members must not tell a document owner which emails have
// accounts, unless the owner may see those accounts anyway: otherwise anyone able to sign up
// could test a list of emails. An account the caller may not see gets the very answer an
// unknown email gets.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { databaseKinds } from "../testing/testDatabase.ts";
import { apiRequest, routeParams, startApiContext, type ApiTestContext } from "../testing/apiFixtures.ts";
import { createOwnedDocument, signUp, type TestAccount } from "../testing/accessFixtures.ts";
import { getAccessContext } from "./accessContext.ts";
import * as membersRoute from "../../app/api/documents/[id]/members/route.ts";

for (const kind of databaseKinds) {
  describe(`who an owner can add as a member (${kind})`, () => {
    let context: ApiTestContext;
    let admin: TestAccount;
    let alice: TestAccount;
    let bob: TestAccount;
    let carol: TestAccount;
    let dave: TestAccount;
    let aliceDocument: string;

    before(async () => {
      context = (await startApiContext(kind, { SIGNUP: "open" }))!;
      admin = await signUp(context.access, "Ada Admin");
      alice = await signUp(context.access, "Alice");
      bob = await signUp(context.access, "Bob"); // shares nothing with Alice
      carol = await signUp(context.access, "Carol"); // Alice is a member of Carol's document
      dave = await signUp(context.access, "Dave"); // a member of a document Alice is also a member of
      const prisma = context.database.prisma;
      aliceDocument = await createOwnedDocument(prisma, alice.id, "Alice's");
      const carolDocument = await createOwnedDocument(prisma, carol.id, "Carol's");
      await prisma.documentMember.create({ data: { documentId: carolDocument, userId: alice.id, role: "viewer" } });
      await prisma.documentMember.create({ data: { documentId: carolDocument, userId: dave.id, role: "editor" } });
    });

    after(async () => {
      await context?.close();
    });

    // The route reads the sign-up mode at request time; the accounts above already exist, so
    // switching it here is what an admin does in /settings.
    async function withSignup(signup: "open" | "invite"): Promise<void> {
      await getAccessContext().signup.set(signup);
    }

    async function grant(caller: TestAccount, documentId: string, email: string): Promise<{ status: number; body: unknown }> {
      const response = await membersRoute.POST(
        apiRequest(`/api/documents/${documentId}/members`, { method: "POST", account: caller, body: { email, role: "viewer" } }),
        routeParams({ id: documentId }),
      );
      return { status: response.status, body: await response.json() };
    }

    test("SIGNUP=open, plain member: an account sharing nothing with the caller answers exactly like an unknown email", async () => {
      await withSignup("open");
      const unknown = await grant(alice, aliceDocument, "nobody-at-all@example.test");
      assert.equal(unknown.status, 404);
      const hidden = await grant(alice, aliceDocument, bob.email);
      assert.deepEqual(hidden, unknown);
      // Case and spaces do not change the answer either.
      assert.deepEqual(await grant(alice, aliceDocument, `  ${bob.email.toUpperCase()} `), unknown);
      assert.equal(await context.database.prisma.documentMember.count({ where: { userId: bob.id } }), 0);
    });

    test("SIGNUP=open, plain member: accounts that already share a document with the caller can be added", async () => {
      await withSignup("open");
      const viaOwner = await grant(alice, aliceDocument, carol.email);
      assert.equal(viaOwner.status, 201);
      assert.equal((viaOwner.body as { member: { userId: string } }).member.userId, carol.id);
      const viaFellowMember = await grant(alice, aliceDocument, dave.email);
      assert.equal(viaFellowMember.status, 201);
    });

    test("SIGNUP=open: workspace admins and accounts with a workspace role see every account", async () => {
      await withSignup("open");
      const adminDocument = await createOwnedDocument(context.database.prisma, admin.id, "Admin's");
      assert.equal((await grant(admin, adminDocument, bob.email)).status, 201);

      const teamLead = await signUp(context.access, "Team Lead");
      await context.database.prisma.user.update({ where: { id: teamLead.id }, data: { workspaceRole: "viewer" } });
      const leadDocument = await createOwnedDocument(context.database.prisma, teamLead.id, "Lead's");
      assert.equal((await grant(teamLead, leadDocument, bob.email)).status, 201);
    });

    test("SIGNUP=invite: every account was invited by the team, so members see every account", async () => {
      await withSignup("invite");
      try {
        // Bob still shares nothing with Alice (the open-mode test above refused him).
        const otherDocument = await createOwnedDocument(context.database.prisma, alice.id, "Alice's second");
        assert.equal((await grant(alice, otherDocument, bob.email)).status, 201);
        assert.equal((await grant(alice, otherDocument, "nobody-at-all@example.test")).status, 404);
      } finally {
        await withSignup("open");
      }
    });
  });
}
