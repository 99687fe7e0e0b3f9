// The admin command line: accounts it creates can sign in, password resets end old sessions,
// share links and invitations it prints work; and the real `npm run admin` process reports
// usage and configuration errors with distinct exit codes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { openDatabase } from "../db/openDatabase.ts";
import type { Database } from "../db/Database.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { createAuth, type Auth } from "../auth/createAuth.ts";
import { parseArgs, runAdminCommand, UsageError } from "./adminCommands.ts";
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import { findLiveShareLink } from "../access/shareLinks.ts";
import { createOwnedDocument } from "../testing/accessFixtures.ts";

const PUBLIC_URL = "https://docs.example.test";

for (const kind of databaseKinds) {
  describe(`admin commands (${kind})`, () => {
    let db: TestDatabase;
    let database: Database;
    let auth: Auth;
    const changed: string[] = [];

    async function run(...args: string[]): Promise<string[]> {
      const lines: string[] = [];
      await runAdminCommand(
        { prisma: database.prisma, storage: new SqlDocumentStorage(database.sql), auth, publicUrl: PUBLIC_URL, print: (line) => lines.push(line), accessChanged: (id) => changed.push(id) },
        args,
      );
      return lines;
    }

    const signIn = (email: string, password: string) => auth.api.signInEmail({ body: { email, password } });

    before(async () => {
      db = (await createTestDatabase(kind))!;
      database = await openDatabase(db.options);
      auth = createAuth({
        prisma: database.prisma,
        secret: "x".repeat(32),
        publicUrl: PUBLIC_URL,
        trustedOrigins: [PUBLIC_URL],
        signup: { current: async () => "invite" },
      });
    });

    after(async () => {
      await database?.close();
      await db?.drop();
    });

    test("create-user makes an account that can sign in; the first is admin", async () => {
      assert.deepEqual(await run("create-user", "--email", "Root@Example.test", "--name", "Root", "--password", "first password"), [
        "created root@example.test (admin)",
      ]);
      assert.deepEqual(
        await run("create-user", "--email", "ed@example.test", "--name", "Ed", "--password", "second password", "--workspace-role", "edit"),
        ["created ed@example.test (member, editor on every document)"],
      );
      const session = await signIn("ed@example.test", "second password");
      assert.ok(session.token, "signed in");
      await assert.rejects(signIn("ed@example.test", "wrong password"));
      await assert.rejects(run("create-user", "--email", "ed@example.test", "--name", "Ed", "--password", "another one"), UsageError);
      await assert.rejects(run("create-user", "--email", "x@example.test", "--name", "X", "--password", "short"), /at least 8/);
    });

    test("reset-password changes the password and ends existing sessions", async () => {
      await run("create-user", "--email", "forgetful@example.test", "--name", "F", "--password", "old password");
      const { token } = await signIn("forgetful@example.test", "old password");
      const before = await database.prisma.session.count({ where: { token } });
      assert.equal(before, 1);
      await run("reset-password", "--email", "forgetful@example.test", "--password", "new password");
      assert.equal(await database.prisma.session.count({ where: { token } }), 0, "old session gone");
      await assert.rejects(signIn("forgetful@example.test", "old password"));
      assert.ok((await signIn("forgetful@example.test", "new password")).token);
      await assert.rejects(run("reset-password", "--email", "nobody@example.test", "--password", "whatever1"), /no account/);
    });

    test("share prints a working link URL with the role and expiry asked for", async () => {
      const id = await createOwnedDocument(database.prisma, null);
      const [url] = await run("share", "--document", id, "--role", "view", "--expires-days", "2");
      assert.match(url, new RegExp(`^${PUBLIC_URL}/d/${id}\\?token=[A-Za-z0-9_-]{43}$`));
      const link = await findLiveShareLink(database.prisma, new URL(url).searchParams.get("token"));
      assert.equal(link?.role, "viewer");
      assert.equal(link?.documentId, id);
      const days = (link!.expiresAt!.getTime() - Date.now()) / 86_400_000;
      assert.ok(days > 1.9 && days <= 2, `expires in 2 days (${days})`);
      await assert.rejects(run("share", "--document", "missing-doc", "--role", "edit"), /no document/);
      await assert.rejects(run("share", "--document", id, "--role", "owner"), /unknown role/);
    });

    test("invite prints a sign-up URL that admits that email once", async () => {
      const [url] = await run("invite", "--email", "newbie@example.test", "--workspace-role", "viewer");
      const invite = new URL(url).searchParams.get("invite")!;
      assert.ok(url.startsWith(`${PUBLIC_URL}/sign-up?invite=`));
      const body = { name: "Newbie", email: "newbie@example.test", password: "newbie password" };
      const created = await auth.api.signUpEmail({ body, headers: new Headers({ "x-invite-token": invite }) });
      const user = await database.prisma.user.findUniqueOrThrow({ where: { id: created.user.id } });
      assert.equal(user.workspaceRole, "viewer");
    });

    test("set-workspace-role changes the role and announces the change for open sockets", async () => {
      const id = await createOwnedDocument(database.prisma, null);
      changed.length = 0;
      await run("set-workspace-role", "--email", "ed@example.test", "--role", "none");
      const ed = await database.prisma.user.findUniqueOrThrow({ where: { email: "ed@example.test" } });
      assert.equal(ed.workspaceRole, null);
      assert.ok(changed.includes(id), "every document is re-checked");
      const lines = await run("list-users");
      assert.ok(lines.some((line) => line.startsWith("ed@example.test\tEd\tmember\t-")), lines.join("\n"));
    });

    test("unknown commands, unknown or incomplete options and stray arguments are usage errors", async () => {
      await assert.rejects(run("frobnicate"), UsageError);
      await assert.rejects(run("share", "--role", "edit"), /--document is required/);
      await assert.rejects(run("share", "--document", "x", "--rol", "edit"), (error: Error) => error instanceof UsageError && /--rol/.test(error.message));
      await assert.rejects(run("share", "--document"), (error: Error) => error instanceof UsageError && /--document/.test(error.message));
      await assert.rejects(run("list-users", "stray"), /unexpected argument "stray"/);
    });
  });
}

test("npm run admin: exit 2 with usage on bad arguments, 1 naming a bad variable, 0 on success", { timeout: 120_000 }, async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "collab-admin-"));
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env, DATABASE_URL: "", DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env },
      encoding: "utf8",
    });
  try {
    const usage = cli(["create-user", "--name", "No Email"]);
    assert.equal(usage.status, 2, usage.stderr);
    assert.match(usage.stderr, /--email is required/);
    assert.match(usage.stderr, /usage: npm run admin/);
    const badEnv = cli(["list-users"], { PUBLIC_URL: "not a url" });
    assert.equal(badEnv.status, 1);
    assert.match(badEnv.stderr, /PUBLIC_URL/);
    const created = cli(["create-user", "--email", "cli@example.test", "--name", "Cli", "--password", "cli password"]);
    assert.equal(created.status, 0, created.stderr);
    assert.equal(created.stdout.trim(), "created cli@example.test (admin)");
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test("option values may start with a dash (document ids, passwords); a missing value is still an error", () => {
  assert.deepEqual(parseArgs(["share", "--document", "-x1Ab", "--role", "viewer"]).options, { document: "-x1Ab", role: "viewer" });
  assert.deepEqual(parseArgs(["create-user", "--password", "--secret-", "--admin"]).options, { password: "--secret-", admin: true });
  assert.throws(() => parseArgs(["share", "--document", "--role", "viewer"]), /--document/);
});
