// `npm run admin` while the server runs (the CLI as its own process, as an operator runs it):
// on the embedded database too, the command reaches the running server over its admin socket,
// takes effect at once (a deactivated account's open socket closes), and the socket is closed
// to other users of the machine. With the server stopped the CLI opens the database itself.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
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
import { adminSocketPath } from "./adminSocket.ts";

process.env.LOG_LEVEL = "silent";
const PROJECT_DIR = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

for (const kind of databaseKinds) {
  describe(`admin command line while the server runs (${kind})`, () => {
    let db: TestDatabase;
    let server: RunningServer | null = null;
    let publicUrl: string;

    /** `npm run admin -- ...args` as a separate process, configured like the server. */
    async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      const env = { ...process.env, DATA_DIR: db.options.dataDir, DATABASE_URL: db.options.databaseUrl ?? "", PUBLIC_URL: publicUrl, REDIS_URL: "", LOG_LEVEL: "silent" };
      try {
        const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], { cwd: PROJECT_DIR, env, timeout: 60_000 });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
      }
    }

    before(async () => {
      db = (await createTestDatabase(kind))!;
      assert.ok(db, `${kind} database`);
      server = await startAppTestServer(db.options, { SIGNUP: "open" });
      publicUrl = `http://127.0.0.1:${server.port}`;
    });

    after(async () => {
      await server?.close();
      await closeDatabase();
      await db?.drop();
    });

    test("the socket is private to the server's user", async () => {
      const socketPath = adminSocketPath(db.options.dataDir);
      assert.equal((await stat(path.dirname(socketPath))).mode & 0o777, 0o700);
      assert.equal((await stat(socketPath)).mode & 0o777, 0o600);
    });

    test("invite and list-users run in the server; deactivate closes the account's open socket at once", async () => {
      const invited = await admin("invite", "--email", "cli-invited@example.test", "--workspace-role", "viewer");
      assert.equal(invited.code, 0, invited.stderr);
      assert.match(invited.stdout, new RegExp(`^${publicUrl}/sign-up\\?invite=\\S+&email=cli-invited%40example.test$`, "m"));

      const http = authClient(server!);
      const address = `cli-${process.pid}@example.test`;
      const signUp = await http.post("/sign-up/email", { name: "Cli", email: address, password: TEST_PASSWORD });
      const cookie = sessionCookie(signUp);
      const user = await server!.database.prisma.user.findUniqueOrThrow({ where: { email: address } });
      const listed = await admin("list-users");
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`^${address}\\tCli\\t`, "m"));

      const documentId = await createOwnedDocument(server!.database.prisma, user.id);
      const socket = await new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server!.port}/collab/${documentId}`, { headers: { cookie, origin: http.origin } });
        ws.once("open", () => resolve(ws));
        ws.once("error", reject);
      });
      const within = SESSION_CHECK_INTERVAL_MS + 1_000;
      const closed = closeCode(socket, within + 60_000);
      const deactivated = await admin("deactivate", "--email", address);
      assert.equal(deactivated.code, 0, deactivated.stderr);
      assert.match(deactivated.stdout, /deactivated; signed out everywhere/);
      const doneAt = performance.now();
      assert.equal(await withTimeout(closed, within + 60_000, "socket closed"), CloseCode.UNAUTHENTICATED);
      assert.ok(performance.now() - doneAt < within + 500, "closed within a session check of the command");
      assert.equal((await http.post("/sign-in/email", { email: address, password: TEST_PASSWORD })).status, 403);
    });

    test("a usage error is reported by the server with the usage text and exit code 2", async () => {
      const result = await admin("invite", "--email", "nobody@example.test", "--workspace-role", "owner");
      assert.equal(result.code, 2);
      assert.match(result.stderr, /unknown role "owner"/);
      assert.match(result.stderr, /usage: npm run admin/);
    });

    test("garbage on the socket gets an error line and leaves the server serving", async () => {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(adminSocketPath(db.options.dataDir));
        let text = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => (text += chunk));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
        socket.write("not json\n");
      });
      assert.match(answer, /"error"/);
      assert.equal((await fetch(`${publicUrl}/healthz`)).status, 200);
    });

    test("with the server stopped, the command line opens the database itself", async () => {
      await server!.close();
      await closeDatabase();
      server = null;
      const listed = await admin("list-users");
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /\tdeactivated$/m);
    });
  });
}
