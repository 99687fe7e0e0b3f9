// `npm run admin -- invite` mails the invitation when SMTP_URL and MAIL_FROM are set, as the
// admin page does: the CLI as its own process, with the server stopped (it mails itself) and
// while the server runs (the command goes over the admin socket and the server mails), to a
// real SMTP server in this process. With the SMTP server unreachable the invitation still
// exists and the CLI says the mail was not sent. On the embedded database.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { freePort } from "../testing/collabChildProcess.ts";
import { linkIn, startSmtpInbox, type SmtpInbox } from "../testing/smtpInbox.ts";
import { openDatabase } from "../db/openDatabase.ts";

process.env.LOG_LEVEL = "silent";
const PROJECT_DIR = path.resolve(import.meta.dirname, "../..");
const PUBLIC_URL = "https://docs.example.test";
const MAIL_FROM = "Collab <docs@example.test>";
const run = promisify(execFile);

describe("npm run admin -- invite, with email configured", { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let inbox: SmtpInbox;

  /** `npm run admin -- ...args` as a separate process (asynchronous: this process answers SMTP). */
  async function admin(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const fullEnv = { ...process.env, DATA_DIR: db.options.dataDir, DATABASE_URL: "", PUBLIC_URL, REDIS_URL: "", LOG_LEVEL: "silent", ...env };
    try {
      const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], { cwd: PROJECT_DIR, env: fullEnv, timeout: 90_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    }
  }

  /** Whether a pending invitation for `email` is stored. */
  async function pendingInvitationFor(email: string): Promise<boolean> {
    const database = await openDatabase(db.options);
    try {
      return (await database.prisma.invitation.count({ where: { email, usedAt: null, revokedAt: null } })) > 0;
    } finally {
      await database.close();
    }
  }

  before(async () => {
    inbox = await startSmtpInbox();
    db = (await createTestDatabase("pglite"))!;
  });

  after(async () => {
    await inbox?.close();
    await db?.drop();
  });

  test("with the server stopped, the CLI mails the invitation it prints", async () => {
    const result = await admin({ SMTP_URL: inbox.url, MAIL_FROM }, "invite", "--email", "Stopped@Example.test", "--workspace-role", "editor");
    assert.equal(result.code, 0, result.stderr);
    const [url, said] = result.stdout.trim().split("\n");
    assert.equal(said, "mailed to stopped@example.test");
    const mail = await inbox.mailTo("stopped@example.test");
    assert.equal(mail.from, "docs@example.test");
    assert.match(mail.subject, /An admin invited you to Collab/);
    assert.equal(linkIn(mail, "/sign-up").href, url, "the mailed link is the printed one");
  });

  test("while the server runs, the command goes to it and it mails the invitation", async () => {
    const server = await startAppTestServer(db.options, { SMTP_URL: inbox.url, MAIL_FROM, PUBLIC_URL });
    try {
      // The CLI itself has no SMTP settings: the mail can only come from the running server.
      const result = await admin({}, "invite", "--email", "running@example.test");
      assert.equal(result.code, 0, result.stderr);
      const [url, said] = result.stdout.trim().split("\n");
      assert.equal(said, "mailed to running@example.test");
      const mail = await inbox.mailTo("running@example.test");
      assert.equal(linkIn(mail, "/sign-up").href, url);
    } finally {
      await server.close();
      await closeDatabase();
    }
  });

  test("with the SMTP server unreachable, the invitation is made and the CLI says it was not mailed", async () => {
    const sent = inbox.mails.length;
    const result = await admin({ SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, MAIL_FROM }, "invite", "--email", "unmailed@example.test");
    assert.equal(result.code, 0, result.stderr);
    const [url, said] = result.stdout.trim().split("\n");
    assert.ok(url.startsWith(`${PUBLIC_URL}/sign-up?invite=`), url);
    assert.match(said, /^not mailed \(.*ECONNREFUSED.*\); send the link above yourself$/);
    assert.ok(await pendingInvitationFor("unmailed@example.test"), "the invitation exists");
    assert.equal(inbox.mails.length, sent, "nothing delivered");
  });

  test("without SMTP_URL the CLI prints the link alone, as before", async () => {
    const result = await admin({ SMTP_URL: "", MAIL_FROM: "" }, "invite", "--email", "plain@example.test");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim().split("\n").length, 1);
  });
});
