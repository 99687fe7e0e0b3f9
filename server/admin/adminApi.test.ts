// The admin area's API (/api/admin/...) against the real server: Better Auth over HTTP for
// sign-up and sign-in, the route handlers called in the same process (they read the access
// context the server installed), real sockets for "deactivation ends them at once".
import assert from "node:assert/strict";
import { apiRequest, routeParams } from "../testing/apiFixtures.ts";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import type { RunningServer } from "../startServer.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { closeCode, withTimeout } from "../testing/yClients.ts";
import { createOwnedDocument } from "../testing/accessFixtures.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { CloseCode } from "../../lib/closeCodes.ts";
import { SESSION_CHECK_INTERVAL_MS } from "../collab/AccessWatch.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { authClient, sessionCookie, TEST_PASSWORD } from "../testing/authHttp.ts";
import { INVITE_HEADER } from "../auth/createAuth.ts";
import * as membersRoute from "../../app/api/admin/members/route.ts";
import * as memberRoute from "../../app/api/admin/members/[userId]/route.ts";
import * as invitationsRoute from "../../app/api/admin/invitations/route.ts";
import * as invitationRoute from "../../app/api/admin/invitations/[invitationId]/route.ts";
import * as settingsRoute from "../../app/api/admin/settings/route.ts";

process.env.LOG_LEVEL = "silent";

const PASSWORD = TEST_PASSWORD;
let emails = 0;
const email = (name: string) => `${name}-${process.pid}-${++emails}@example.test`;

for (const kind of databaseKinds) {
  describe(`admin API (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let origin: string;
    let http: ReturnType<typeof authClient>;
    let admin: { id: string; cookie: string };
    let member: { id: string; cookie: string; email: string };

    async function signUp(name: string, address = email(name), headers: Record<string, string> = {}) {
      const response = await http.post("/sign-up/email", { name, email: address, password: PASSWORD }, headers);
      assert.equal(response.status, 200, await response.clone().text());
      const { user } = (await response.json()) as { user: { id: string } };
      return { id: user.id, cookie: sessionCookie(response), email: address };
    }
    /** A request to an admin route as `cookie`, from the server's own origin unless told. */
    const request = (path: string, init: Omit<Parameters<typeof apiRequest>[1] & object, "origin"> = {}) => apiRequest(path, { origin, ...init });
    const params = routeParams;

    before(async () => {
      db = (await createTestDatabase(kind))!;
      assert.ok(db, `${kind} database`);
      server = await startAppTestServer(db.options, { SIGNUP: "invite" });
      http = authClient(server);
      origin = http.origin;
      admin = await signUp("Admin"); // the first account is the admin, invitation or not
    });

    after(async () => {
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    test("an invitation with a workspace role makes an account with that role, then is no longer pending", async () => {
      const address = email("invited");
      const created = await invitationsRoute.POST(request("/api/admin/invitations", { method: "POST", cookie: admin.cookie, body: { email: address, workspaceRole: "editor" } }));
      assert.equal(created.status, 201);
      const { invitation } = (await created.json()) as { invitation: { id: string; url: string } };
      const url = new URL(invitation.url);
      assert.equal(url.origin, origin);
      assert.equal(url.pathname, "/sign-up");
      assert.equal(url.searchParams.get("email"), address);
      const pending = (await (await invitationsRoute.GET(request("/api/admin/invitations", { cookie: admin.cookie }))).json()) as { invitations: { id: string }[] };
      assert.ok(pending.invitations.some((i) => i.id === invitation.id), "listed as pending");

      member = await signUp("Invited", address, { [INVITE_HEADER]: url.searchParams.get("invite")! });
      const row = await server.database.prisma.user.findUniqueOrThrow({ where: { id: member.id } });
      assert.equal(row.workspaceRole, "editor");
      assert.equal(row.role, "member");
      const after = (await (await invitationsRoute.GET(request("/api/admin/invitations", { cookie: admin.cookie }))).json()) as { invitations: { id: string }[] };
      assert.ok(!after.invitations.some((i) => i.id === invitation.id), "used: no longer pending");
    });

    test("a revoked invitation cannot be used", async () => {
      const address = email("revoked");
      const created = await invitationsRoute.POST(request("/api/admin/invitations", { method: "POST", cookie: admin.cookie, body: { email: address } }));
      const { invitation } = (await created.json()) as { invitation: { id: string; url: string } };
      const revoked = await invitationRoute.DELETE(request(`/api/admin/invitations/${invitation.id}`, { method: "DELETE", cookie: admin.cookie }), params({ invitationId: invitation.id }));
      assert.equal(revoked.status, 204);
      const again = await invitationRoute.DELETE(request(`/api/admin/invitations/${invitation.id}`, { method: "DELETE", cookie: admin.cookie }), params({ invitationId: invitation.id }));
      assert.equal(again.status, 404);
      const refused = await http.post("/sign-up/email", { name: "Too late", email: address, password: PASSWORD }, { [INVITE_HEADER]: new URL(invitation.url).searchParams.get("invite")! });
      assert.equal(refused.status, 403);
      const refusal = (await refused.json()) as { code: string; message: string };
      assert.equal(refusal.code, "INVITATION_REVOKED");
      assert.match(refusal.message, /revoked by an admin\. Ask an admin for a new invitation/);
    });

    test("an invitation to a document gives its role there on acceptance", async () => {
      const documentId = await createOwnedDocument(server.database.prisma, admin.id);
      const address = email("doc-invited");
      const created = await invitationsRoute.POST(
        request("/api/admin/invitations", { method: "POST", cookie: admin.cookie, body: { email: address, documentId, documentRole: "commenter" } }),
      );
      assert.equal(created.status, 201);
      const { invitation } = (await created.json()) as { invitation: { url: string } };
      const invited = await signUp("Doc invited", address, { [INVITE_HEADER]: new URL(invitation.url).searchParams.get("invite")! });
      const membership = await server.database.prisma.documentMember.findUnique({ where: { documentId_userId: { documentId, userId: invited.id } } });
      assert.equal(membership?.role, "commenter");
    });

    test("bad invitations are refused with a message: not an email, an existing account, an unknown document", async () => {
      const post = (body: unknown) => invitationsRoute.POST(request("/api/admin/invitations", { method: "POST", cookie: admin.cookie, body }));
      assert.equal((await post({ email: "not an email" })).status, 400);
      assert.equal((await post({ email: member.email })).status, 409);
      assert.equal((await post({ email: email("x"), documentId: "aaaaaaaaaaaaaaaaaaaaa", documentRole: "viewer" })).status, 404);
      assert.equal((await post({ email: email("x"), workspaceRole: "owner" })).status, 400);
    });

    test("only admins: a member gets 403, nobody 401, another origin 403", async () => {
      assert.equal((await membersRoute.GET(request("/api/admin/members", { cookie: member.cookie }))).status, 403);
      assert.equal((await membersRoute.GET(request("/api/admin/members"))).status, 401);
      assert.equal((await invitationsRoute.GET(request("/api/admin/invitations", { cookie: member.cookie }))).status, 403);
      assert.equal((await settingsRoute.PATCH(request("/api/admin/settings", { method: "PATCH", cookie: member.cookie, body: { signup: "open" } }))).status, 403);
      const crossSite = await settingsRoute.PATCH(request("/api/admin/settings", { method: "PATCH", cookie: admin.cookie, body: { signup: "open" }, from: "https://evil.example" }));
      assert.equal(crossSite.status, 403);
    });

    test("members are listed with roles and last activity; roles change; admins cannot demote themselves", async () => {
      const listed = (await (await membersRoute.GET(request("/api/admin/members", { cookie: admin.cookie }))).json()) as {
        members: { id: string; role: string; workspaceRole: string | null; lastActiveAt: string | null; deactivated: boolean }[];
      };
      const me = listed.members.find((m) => m.id === admin.id)!;
      assert.equal(me.role, "admin");
      assert.ok(me.lastActiveAt && Date.parse(me.lastActiveAt) > Date.now() - 60_000, "last active: just now");
      const patch = (id: string, body: unknown) => memberRoute.PATCH(request(`/api/admin/members/${id}`, { method: "PATCH", cookie: admin.cookie, body }), params({ userId: id }));
      const changed = await patch(member.id, { workspaceRole: "viewer" });
      assert.equal(changed.status, 200);
      assert.equal(((await changed.json()) as { member: { workspaceRole: string } }).member.workspaceRole, "viewer");
      assert.equal((await patch(admin.id, { role: "member" })).status, 409);
      assert.equal((await patch(admin.id, { deactivated: true })).status, 409);
      assert.equal((await patch(member.id, { role: "owner" })).status, 400);
      assert.equal((await patch("no-such-account", { deactivated: true })).status, 404);
    });

    test("deactivation ends the account's sockets at once and refuses sign-in; reactivation lets it back", async () => {
      const documentId = await createOwnedDocument(server.database.prisma, member.id);
      const socket = await new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/collab/${documentId}`, { headers: { cookie: member.cookie, origin } });
        ws.once("open", () => resolve(ws));
        ws.once("error", reject);
      });
      const within = SESSION_CHECK_INTERVAL_MS + 1_000;
      const closed = closeCode(socket, within);
      const patch = (deactivated: boolean) =>
        memberRoute.PATCH(request(`/api/admin/members/${member.id}`, { method: "PATCH", cookie: admin.cookie, body: { deactivated } }), params({ userId: member.id }));
      assert.equal((await patch(true)).status, 200);
      assert.equal(await withTimeout(closed, within + 500, "socket closed after deactivation"), CloseCode.UNAUTHENTICATED);
      const refused = await http.post("/sign-in/email", { email: member.email, password: PASSWORD });
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /deactivated/);
      assert.equal(await server.database.prisma.session.count({ where: { userId: member.id } }), 0, "no session left");

      assert.equal((await patch(false)).status, 200);
      const back = await http.post("/sign-in/email", { email: member.email, password: PASSWORD });
      assert.equal(back.status, 200);
      member.cookie = sessionCookie(back);
    });

    test("the sign-up mode set in the admin area applies at once: open lets anyone in, invite closes again", async () => {
      const get = async () => ((await (await settingsRoute.GET(request("/api/admin/settings", { cookie: admin.cookie }))).json()) as { signup: string }).signup;
      assert.equal(await get(), "invite", "SIGNUP until an admin chooses");
      const set = (signup: unknown) => settingsRoute.PATCH(request("/api/admin/settings", { method: "PATCH", cookie: admin.cookie, body: { signup } }));
      assert.equal((await set("sometimes")).status, 400);
      assert.equal((await set("open")).status, 200);
      assert.equal(await get(), "open");
      await signUp("Walk-in");
      assert.equal((await set("invite")).status, 200);
      const refused = await http.post("/sign-up/email", { name: "Second walk-in", email: email("walk-in"), password: PASSWORD });
      assert.equal(refused.status, 403);
    });
  });
}
