// The embedded database is one process's: while the server runs on a DATA_DIR, a second
// server or the admin command on the same directory is refused with a message naming the
// directory and the process holding it, and the first goes on serving with its data intact.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import { newDocumentId } from "../../lib/documentId.ts";
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import { createLink } from "../testing/accessFixtures.ts";
import { freePort, startCollabChild, type CollabChild } from "../testing/collabChildProcess.ts";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { connectTrackedClient, synced, waitFor } from "../testing/yClients.ts";
import { openDatabase, PGLITE_SUBDIR } from "./openDatabase.ts";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** A refused process exits at once; one that was let in would run until killed. */
const REFUSAL_TIMEOUT_MS = 20_000;

/** Runs `node --import tsx <args>` on `dataDir` and resolves with its exit code and stderr
 *  (code null: it was still running after REFUSAL_TIMEOUT_MS and was killed). */
function runOnDataDir(args: string[], dataDir: string, port: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: "", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", LOG_LEVEL: "info" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), REFUSAL_TIMEOUT_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

function textOf(update: Uint8Array | null): string {
  const doc = new Y.Doc();
  if (update) Y.applyUpdate(doc, update);
  return doc.getText("t").toString();
}

describe("the PGlite data directory lock across processes", () => {
  let testDb: TestDatabase;
  let first: CollabChild | undefined;

  before(async () => {
    testDb = (await createTestDatabase("pglite"))!;
  });
  after(async () => {
    if (first && !first.exited) await first.stop("SIGKILL");
    await testDb?.drop();
  });

  test("a second server on a running server's DATA_DIR is refused, an admin command goes through the running server; the first keeps its data", async () => {
    const { dataDir } = testDb.options;
    const pgliteDir = path.join(dataDir, PGLITE_SUBDIR);
    const lockFile = path.join(pgliteDir, "collab.lock");
    const documentId = newDocumentId();
    let token: string;
    {
      const db = await openDatabase(testDb.options);
      await db.prisma.document.create({ data: { id: documentId } });
      token = (await createLink(db.prisma, documentId, "editor")).token;
      const seed = new Y.Doc();
      seed.getText("t").insert(0, "stored before start. ");
      await new SqlDocumentStorage(db.sql).append(documentId, Y.encodeStateAsUpdate(seed));
      await db.close();
    }

    first = await startCollabChild(await freePort(), { dataDir });
    assert.equal((await readFile(lockFile, "utf8")).trim(), String(first.pid), "the running server holds the lock");

    const [secondServer, adminCommand] = await Promise.all([
      runOnDataDir(["server/collabProcess.ts"], dataDir, await freePort()),
      runOnDataDir(["scripts/admin.ts", "list-users"], dataDir, await freePort()),
    ]);
    assert.equal(secondServer.code, 1, `second server exits with 1 (null: it started and was killed):\n${secondServer.stderr}`);
    assert.ok(
      secondServer.stderr.includes(`The embedded database in ${pgliteDir} is in use by process ${first.pid}.`),
      `second server: the message names the directory and the process holding it:\n${secondServer.stderr}`,
    );
    assert.match(secondServer.stderr, /Stop that process first/);
    // The admin command line does not open the database: the running server runs the command
    // for it over its admin socket (server/admin/adminSocket.ts).
    assert.equal(adminCommand.code, 0, `admin command through the running server:\n${adminCommand.stderr}`);
    assert.equal((await readFile(lockFile, "utf8")).trim(), String(first.pid), "the refused processes left the lock alone");

    // The first server still serves the stored document and stores new edits.
    const readyz = await fetch(`${first.httpUrl}/readyz`);
    assert.equal(readyz.status, 200);
    const { provider, tracker } = connectTrackedClient(first.wsUrl, documentId, new Y.Doc(), { token });
    try {
      await synced(provider);
      assert.equal(provider.doc.getText("t").toString(), "stored before start. ");
      provider.doc.getText("t").insert(provider.doc.getText("t").length, "typed after the refusals.");
      await waitFor(() => tracker.saved, "the edit is acknowledged as stored");
    } finally {
      tracker.destroy();
      provider.destroy();
    }
    const stopped = await first.stop("SIGTERM");
    assert.equal(stopped.code, 0);
    await assert.rejects(stat(lockFile), { code: "ENOENT" }, "a clean stop releases the lock");

    // Everything is there after the server stopped, and the directory opens normally.
    const reopened = await openDatabase(testDb.options);
    try {
      assert.equal(textOf(await new SqlDocumentStorage(reopened.sql).load(documentId)), "stored before start. typed after the refusals.");
    } finally {
      await reopened.close();
    }
  });
});
