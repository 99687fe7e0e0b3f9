// Mail against the real server and a real SMTP server in this process (server/testing/
// smtpInbox.ts): invitations arrive with a working link, a reset mail's link sets a new
// password (old one and other sessions stop working), an unknown email gets the same answer and
// no mail, reset requests are rate limited, sharing a document with someone tells them; with
// SMTP down the invitation is kept and the
// reason returned; with email off, links are answered to copy.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunningServer } from "../startServer.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { authClient, sessionCookie, TEST_PASSWORD } from "../testing/authHttp.ts";
import { linkIn, startSmtpInbox, type SmtpInbox } from "../testing/smtpInbox.ts";
import { freePort } from "../testing/collabChildProcess.ts";
import { RecordingLog } from "../testing/RecordingLog.ts";
import { createOwnedDocument } from "../testing/accessFixtures.ts";
import { INVITE_HEADER } from "../auth/createAuth.ts";
import { ADMIN_RESET_LINK_TTL_MS, describeResetToken } from "../auth/passwordReset.ts";
import { Mailer } from "./Mailer.ts";
import { composeMail } from "./mailBody.ts";
import * as invitationsRoute from "../../app/api/admin/invitations/route.ts";
import * as resetLinkRoute from "../../app/api/admin/members/[userId]/password-reset/route.ts";
import * as mailStatusRoute from "../../app/api/admin/mail/route.ts";
import * as documentMembersRoute from "../../app/api/documents/[id]/members/route.ts";

process.env.LOG_LEVEL = "silent";

const MAIL_FROM = "Collab <docs@example.test>";
const NEW_PASSWORD = "a brand new password";
let emails = 0;
const email = (name: string) => `${name}-${process.pid}-${++emails}@example.test`;
let addresses = 0;
/** A client address of its own (the server trusts one proxy), so per-address limits of one
 *  test do not spill into another. */
const fromAddress = () => ({ "x-forwarded-for": `10.77.${Math.floor(++addresses / 250)}.${addresses % 250}` });

interface Account {
  id: string;
  email: string;
  cookie: string;
}

/** The app on `db` with `env`, and helpers speaking to it as the browser's forms do. */
async function startApp(db: TestDatabase, env: Record<string, string>) {
  const server = await startAppTestServer(db.options, { SIGNUP: "invite", TRUST_PROXY: "1", ...env });
  const http = authClient(server);
  const origin = http.origin;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => http.post(path, body, { ...fromAddress(), ...headers });
  async function signUp(name: string, address = email(name), headers: Record<string, string> = {}): Promise<Account> {
    const response = await post("/sign-up/email", { name, email: address, password: TEST_PASSWORD }, headers);
    assert.equal(response.status, 200, await response.clone().text());
    const { user } = (await response.json()) as { user: { id: string } };
    return { id: user.id, email: address, cookie: sessionCookie(response) };
  }
  /** A request to an admin route handler (called in this process, as Next would). */
  function adminRequest(path: string, cookie: string, { method = "GET", body }: { method?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = { origin, cookie };
    if (body !== undefined) headers["content-type"] = "application/json";
    return new Request(`${origin}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }
  async function invite(admin: Account, body: Record<string, unknown>) {
    const response = await invitationsRoute.POST(adminRequest("/api/admin/invitations", admin.cookie, { method: "POST", body }));
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()) as { invitation: { id: string; url: string }; mail: { status: string; reason?: string } };
  }
  async function mailStatus(admin: Account) {
    const response = await mailStatusRoute.GET(adminRequest("/api/admin/mail", admin.cookie));
    assert.equal(response.status, 200);
    return (await response.json()) as { enabled: boolean; server: string | null; from: string | null; lastFailure: { reason: string } | null };
  }
  const admin = await signUp("Admin");
  return { server, origin, post, signUp, adminRequest, invite, mailStatus, admin };
}

async function stop(server: RunningServer | undefined, db: TestDatabase | undefined) {
  await server?.close();
  await closeDatabase();
  await db?.drop();
}

for (const kind of databaseKinds) {
  describe(`mail through an SMTP server (${kind})`, () => {
    let db: TestDatabase;
    let inbox: SmtpInbox;
    let app: Awaited<ReturnType<typeof startApp>>;

    before(async () => {
      inbox = await startSmtpInbox();
      db = (await createTestDatabase(kind))!;
      app = await startApp(db, { SMTP_URL: inbox.url, MAIL_FROM });
    });

    after(async () => {
      await stop(app?.server, db);
      await inbox?.close();
    });

    test("an invitation is mailed with a link that signs the invitee up, once", async () => {
      const address = email("invitee");
      const { mail: delivery } = await app.invite(app.admin, { email: address, workspaceRole: "editor" });
      assert.deepEqual(delivery, { status: "sent" });
      const mail = await inbox.mailTo(address);
      assert.equal(mail.from, "docs@example.test");
      assert.match(mail.subject, /Admin invited you to Collab/);
      const link = linkIn(mail, "/sign-up");
      assert.equal(link.origin, app.origin);
      assert.ok(mail.html.includes(link.href.replace(/&/g, "&amp;")), "the HTML part links to the same address");
      const secret = link.searchParams.get("invite")!;
      const invited = await app.signUp("Invitee", link.searchParams.get("email")!, { [INVITE_HEADER]: secret });
      const user = await app.server.database.prisma.user.findUniqueOrThrow({ where: { id: invited.id } });
      assert.equal(user.workspaceRole, "editor");

      const again = await app.post("/sign-up/email", { name: "Again", email: address, password: TEST_PASSWORD }, { [INVITE_HEADER]: secret });
      assert.equal(again.status, 403);
      const refusal = (await again.json()) as { code: string; message: string };
      assert.equal(refusal.code, "INVITATION_USED");
      assert.match(refusal.message, /already been used.*Sign in/);
    });

    test("an invitation from the Share dialog is mailed naming the document and the role", async () => {
      const documentId = await createOwnedDocument(app.server.database.prisma, app.admin.id);
      await app.server.database.prisma.document.update({ where: { id: documentId }, data: { title: "Budget <2027> & plans" } });
      const address = email("doc-invitee");
      const { mail: delivery } = await app.invite(app.admin, { email: address, documentId, documentRole: "commenter" });
      assert.equal(delivery.status, "sent");
      const mail = await inbox.mailTo(address);
      assert.match(mail.subject, /shared a document with you/);
      assert.match(mail.text, /to comment on the document “Budget <2027> & plans”/);
      assert.match(mail.html, /Budget &lt;2027&gt; &amp; plans/);
      const invited = await app.signUp("Doc invitee", address, { [INVITE_HEADER]: linkIn(mail, "/sign-up").searchParams.get("invite")! });
      const membership = await app.server.database.prisma.documentMember.findUnique({ where: { documentId_userId: { documentId, userId: invited.id } } });
      assert.equal(membership?.role, "commenter");
    });

    test("a reset mail's link sets a new password: the old one fails, the new one works, other sessions end", async () => {
      const address = email("forgetful");
      const invitation = await app.invite(app.admin, { email: address });
      await inbox.mailTo(address);
      const user = await app.signUp("Forgetful", address, { [INVITE_HEADER]: new URL(invitation.invitation.url).searchParams.get("invite")! });
      const otherDevice = sessionCookie(await app.post("/sign-in/email", { email: address, password: TEST_PASSWORD }));
      const mailsBefore = inbox.mails.length;

      const asked = await app.post("/request-password-reset", { email: address });
      assert.equal(asked.status, 200, await asked.clone().text());
      const reset = await inbox.mailTo(address, { since: mailsBefore });
      assert.match(reset.subject, /Reset your Collab password/);
      const link = linkIn(reset, "/reset-password");
      assert.equal(link.origin, app.origin);
      const token = link.searchParams.get("token")!;
      const described = await describeResetToken(app.server.access.auth, token);
      assert.equal(described.state, "live");
      assert.equal(described.state === "live" && described.email, address, "the reset page names the account");

      const short = await app.post("/reset-password", { token, newPassword: "short" });
      assert.equal(short.status, 400, "too short a password is refused and the link still works");
      const done = await app.post("/reset-password", { token, newPassword: NEW_PASSWORD });
      assert.equal(done.status, 200, await done.clone().text());

      assert.equal((await app.post("/sign-in/email", { email: address, password: TEST_PASSWORD })).status, 401, "the old password");
      assert.equal((await app.post("/sign-in/email", { email: address, password: NEW_PASSWORD })).status, 200, "the new password");
      for (const cookie of [user.cookie, otherDevice]) {
        const session = await fetch(`${app.origin}/api/auth/get-session`, { headers: { cookie } });
        assert.equal(await session.json(), null, "sessions from before the reset are gone");
      }
      const reused = await app.post("/reset-password", { token, newPassword: "yet another password" });
      assert.equal(reused.status, 400);
      assert.equal(((await reused.json()) as { code: string }).code, "INVALID_TOKEN");
      assert.deepEqual(await describeResetToken(app.server.access.auth, token), { state: "invalid" }, "a used link says so on the page");
    });

    test("an unknown email gets the same answer as an account's, and no mail", async () => {
      const unknownAddress = email("nobody");
      const unknown = await app.post("/request-password-reset", { email: unknownAddress });
      const existing = await app.post("/request-password-reset", { email: app.admin.email });
      assert.equal(unknown.status, existing.status);
      assert.deepEqual(await unknown.json(), await existing.json());
      await inbox.mailTo(app.admin.email);
      assert.ok(!inbox.mails.some((mail) => mail.to.includes(unknownAddress)), "nothing is mailed to an address without an account");
    });

    test("asking for reset mails is rate limited per client address", async () => {
      const from = fromAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await app.post("/request-password-reset", { email: email("nobody") }, from)).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
    });

    test("an admin's reset link works once for a day; only admins can make one", async () => {
      const address = email("handed");
      const invitation = await app.invite(app.admin, { email: address });
      const member = await app.signUp("Handed", address, { [INVITE_HEADER]: new URL(invitation.invitation.url).searchParams.get("invite")! });
      const path = `/api/admin/members/${member.id}/password-reset`;
      const params = { params: Promise.resolve({ userId: member.id }) };
      assert.equal((await resetLinkRoute.POST(app.adminRequest(path, member.cookie, { method: "POST" }), params)).status, 403);
      const made = await resetLinkRoute.POST(app.adminRequest(path, app.admin.cookie, { method: "POST" }), params);
      assert.equal(made.status, 201);
      const { url, expiresAt } = (await made.json()) as { url: string; expiresAt: string };
      const link = new URL(url);
      assert.equal(`${link.origin}${link.pathname}`, `${app.origin}/reset-password`);
      const hoursLeft = (Date.parse(expiresAt) - Date.now()) / 3_600_000;
      assert.ok(hoursLeft > 23.9 && hoursLeft <= ADMIN_RESET_LINK_TTL_MS / 3_600_000, `expires in a day (${hoursLeft} h)`);
      const token = link.searchParams.get("token")!;
      assert.equal((await app.post("/reset-password", { token, newPassword: NEW_PASSWORD })).status, 200);
      assert.equal((await app.post("/sign-in/email", { email: address, password: NEW_PASSWORD })).status, 200);
      assert.equal((await app.post("/reset-password", { token, newPassword: NEW_PASSWORD })).status, 400, "once");
    });

    test("sharing a document with an account mails them a link to it; lowering their role does not", async () => {
      const address = email("shared");
      const invitation = await app.invite(app.admin, { email: address });
      await app.signUp("Colleague", address, { [INVITE_HEADER]: new URL(invitation.invitation.url).searchParams.get("invite")! });
      const documentId = await createOwnedDocument(app.server.database.prisma, app.admin.id);
      await app.server.database.prisma.document.update({ where: { id: documentId }, data: { title: "Roadmap" } });
      const share = async (role: string) => {
        const path = `/api/documents/${documentId}/members`;
        const response = await documentMembersRoute.POST(app.adminRequest(path, app.admin.cookie, { method: "POST", body: { email: address, role } }), {
          params: Promise.resolve({ id: documentId }),
        });
        assert.equal(response.status, 201, await response.clone().text());
      };
      const sharedMails = () => inbox.mails.filter((mail) => mail.to.includes(address) && /shared a document/.test(mail.subject));
      const before = inbox.mails.length;
      await share("editor");
      const mail = await inbox.mailTo(address, { since: before });
      assert.equal(mail.subject, "Admin shared a document with you on Collab");
      assert.match(mail.text, /Admin shared “Roadmap” with you: you can edit it\./);
      assert.equal(linkIn(mail, `/d/${documentId}`).origin, app.origin);
      await share("viewer");
      const raised = inbox.mails.length;
      await share("commenter");
      await inbox.mailTo(address, { since: raised });
      assert.equal(sharedMails().length, 2, "added, then raised to commenter; not when lowered to viewer");
    });

        test("the admin area reports email on, the server without its password, and no failure", async () => {
      const status = await app.mailStatus(app.admin);
      assert.deepEqual(status, { enabled: true, server: inbox.url, from: MAIL_FROM, lastFailure: null });
    });
  });
}

describe("mail with the SMTP server down, and with email off", () => {
  const kind = databaseKinds[databaseKinds.length - 1];
  let db: TestDatabase | undefined;
  let server: RunningServer | undefined;

  after(() => stop(server, db));

  test("a failed send is logged with its reason and returned, never thrown", async () => {
    const log = new RecordingLog();
    const mailer = new Mailer({ smtpUrl: `smtp://127.0.0.1:${await freePort()}`, from: "docs@example.test" }, log);
    const body = composeMail({ paragraphs: ["Hello"], action: { label: "Open", url: "https://docs.example.com/" } });
    const outcome = await mailer.send({ to: "someone@example.test", subject: "Hi", body, kind: "test" });
    assert.equal(outcome.sent, false);
    assert.match(!outcome.sent ? outcome.reason : "", /ECONNREFUSED/);
    assert.equal(log.errors.length, 1, log.describeErrors());
    assert.equal(log.errors[0].message, "mail not sent");
    assert.match(String(log.errors[0].fields.reason), /ECONNREFUSED/);
    assert.equal(mailer.status().lastFailure?.reason, (outcome as { reason: string }).reason);
    mailer.close();
  });

  test("SMTP down while inviting: the server runs, the invitation exists and works, the reason is shown to the admin", async () => {
    db = (await createTestDatabase(kind))!;
    const app = await startApp(db, { SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, MAIL_FROM });
    server = app.server;
    const address = email("unmailed");
    const created = await app.invite(app.admin, { email: address });
    assert.equal(created.mail.status, "failed");
    assert.match(created.mail.reason ?? "", /ECONNREFUSED/);
    const listed = (await (await invitationsRoute.GET(app.adminRequest("/api/admin/invitations", app.admin.cookie))).json()) as { invitations: { id: string }[] };
    assert.ok(listed.invitations.some((invitation) => invitation.id === created.invitation.id), "still pending");
    assert.match((await app.mailStatus(app.admin)).lastFailure?.reason ?? "", /ECONNREFUSED/);
    const reset = await app.post("/request-password-reset", { email: app.admin.email });
    assert.equal(reset.status, 200, "the same answer as always: the failure is for admins, not for whoever asked");
    assert.equal((await fetch(`${app.origin}/readyz`)).status, 200);
    await app.signUp("Unmailed", address, { [INVITE_HEADER]: new URL(created.invitation.url).searchParams.get("invite")! });
  });

  test("email off: invitations answer their link to copy, reset requests say to ask an admin", async () => {
    await stop(server, db);
    db = (await createTestDatabase(kind))!;
    const app = await startApp(db, {});
    server = app.server;
    const created = await app.invite(app.admin, { email: email("by-hand") });
    assert.deepEqual(created.mail, { status: "off" });
    assert.match(created.invitation.url, /\/sign-up\?invite=/);
    const reset = await app.post("/request-password-reset", { email: app.admin.email });
    assert.equal(reset.status, 400);
    const body = (await reset.json()) as { code: string; message: string };
    assert.equal(body.code, "EMAIL_NOT_CONFIGURED");
    assert.match(body.message, /Ask an admin/);
    assert.deepEqual(await app.mailStatus(app.admin), { enabled: false, server: null, from: null, lastFailure: null });
  });
});
