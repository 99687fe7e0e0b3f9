// `npm run admin -- move-to-postgres`: a real embedded (PGlite) instance in a temp DATA_DIR moved
// by the real CLI process into a fresh PostgreSQL database (needs DATABASE_URL for the test
// server, skipped otherwise). Everything arrives: accounts that sign in with their passwords and
// sessions still valid (same auth secret), documents with byte-identical Yjs state (log and
// snapshot), the update sequence continuing above the snapshot, members, links, invitations,
// images, Trash. A non-empty target, a running server and a failure halfway write nothing.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";
import pg from "pg";
import * as Y from "yjs";
import { openDatabase } from "../db/openDatabase.ts";
import type { Database } from "../db/Database.ts";
import { closeDatabase } from "../db/getDatabase.ts";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase.ts";
import { createAuth } from "../auth/createAuth.ts";
import { loadAuthSecret } from "../auth/authSecret.ts";
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import { createLink } from "../testing/accessFixtures.ts";
import { createInvitation } from "../auth/invitations.ts";
import { findLiveShareLink } from "../access/shareLinks.ts";
import { startAppTestServer } from "../testing/startAppTestServer.ts";
import { solidPng } from "../testing/imageFixtures.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import { listTables, nonEmptyTables } from "../db/databaseTables.ts";
import { moveToPostgres, MoveRefusedError } from "./moveToPostgres.ts";

process.env.LOG_LEVEL = "silent";
const PROJECT_DIR = path.resolve(import.meta.dirname, "../..");
const PUBLIC_URL = "http://localhost:3000";
const PASSWORD = "correct horse battery";
const run = promisify(execFile);
const skip = process.env.DATABASE_URL ? false : "needs DATABASE_URL (a PostgreSQL server to move to)";

/** `npm run admin -- move-to-postgres --to <url>` as its own process, on `dataDir`. */
async function moveCli(dataDir: string, to: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", PUBLIC_URL, REDIS_URL: "", LOG_LEVEL: "silent" };
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/admin.ts", "move-to-postgres", "--to", to], { cwd: PROJECT_DIR, env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const authOn = async (database: Database) =>
  createAuth({ prisma: database.prisma, secret: await loadAuthSecret(database.prisma, undefined), publicUrl: PUBLIC_URL, trustedOrigins: [PUBLIC_URL], signup: { current: async () => "open" } });

function paragraphUpdate(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(EDITOR_FRAGMENT_NAME).push([paragraph]);
  return Y.encodeStateAsUpdate(doc, before);
}

const sha256 = (bytes: Uint8Array | null) => (bytes ? createHash("sha256").update(bytes).digest("hex") : "none");

describe("move-to-postgres", { skip }, () => {
  const dropping: TestDatabase[] = [];
  const fresh = async (kind: "pglite" | "postgres") => {
    const db = (await createTestDatabase(kind))!;
    dropping.push(db);
    return db;
  };
  after(async () => {
    for (const db of dropping) await db.drop();
  });

  test("everything arrives, equal: accounts, sessions, documents (log and snapshot), members, links, invitations, images, Trash", { timeout: 180_000 }, async () => {
    const sourceDb = await fresh("pglite");
    const targetDb = await fresh("postgres");
    const source = await openDatabase(sourceDb.options);
    const storage = new SqlDocumentStorage(source.sql);
    const auth = await authOn(source);
    const ada = await auth.api.signUpEmail({ body: { name: "Ada", email: "ada@example.test", password: PASSWORD }, returnHeaders: true });
    const cookie = (ada.headers.get("set-cookie") ?? "").split(";")[0];
    const bob = (await auth.api.signUpEmail({ body: { name: "Bob", email: "bob@example.test", password: "bob's password" } })).user;
    await source.prisma.user.update({ where: { id: bob.id }, data: { workspaceRole: "viewer" } });

    // A long-edited document compacted into a snapshot (its log then empty), one with only a
    // log, and one in Trash.
    const ids = ["move-doc-compacted0000", "move-doc-logonly000000", "move-doc-trashed000000"];
    for (const [index, id] of ids.entries()) {
      await source.prisma.document.create({ data: { id, title: `Doc ${index}`, ownerId: ada.response.user.id, trashedAt: index === 2 ? new Date() : null } });
      const doc = new Y.Doc();
      for (let edit = 0; edit < (index === 0 ? 80 : 3); edit++) await storage.append(id, paragraphUpdate(doc, `doc ${index} edit ${edit} — ünïcode`));
    }
    await storage.compact(ids[0]);
    const snapshot = await source.prisma.documentSnapshot.findUniqueOrThrow({ where: { documentId: ids[0] } });
    assert.equal(await source.prisma.documentUpdate.count({ where: { documentId: ids[0] } }), 0, "the compacted log is empty");
    await source.prisma.documentMember.create({ data: { documentId: ids[0], userId: bob.id, role: "editor" } });
    const link = await createLink(source.prisma, ids[1], "commenter");
    const invitation = await createInvitation(source.prisma, "carol@example.test", { workspaceRole: "editor" });
    const png = solidPng(8, 8);
    await source.prisma.documentImage.create({
      data: { id: "move-image-1", documentId: ids[0], uploaderId: ada.response.user.id, contentType: "image/png", byteSize: png.length, sha256: sha256(png), bytes: png },
    });
    const states = new Map<string, string>();
    for (const id of ids) states.set(id, sha256(await storage.load(id)));
    const counts = new Map((await nonEmptyTables((text, ...params) => source.prisma.$queryRawUnsafe(text, ...params))).map((t) => [t.name, t.rows]));
    await source.close();

    const moved = await moveCli(sourceDb.options.dataDir, targetDb.options.databaseUrl!);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stdout, /moved and verified: \d+ tables \(row counts and contents equal\), 3 documents with identical Yjs state/);
    assert.match(moved.stdout, /^ {2}document_images: 1 rows$/m);
    assert.match(moved.stdout, /next: set DATABASE_URL=postgres/);

    const target = await openDatabase(targetDb.options);
    try {
      const targetStorage = new SqlDocumentStorage(target.sql);
      for (const id of ids) assert.equal(sha256(await targetStorage.load(id)), states.get(id), `${id}: identical Yjs state`);
      const query = (text: string, ...params: unknown[]) => target.prisma.$queryRawUnsafe(text, ...params) as Promise<never[]>;
      assert.deepEqual(new Map((await nonEmptyTables(query)).map((t) => [t.name, t.rows])), counts, "same rows per table");
      // The session cookie made on the embedded instance is still good: same secret, same session.
      const targetAuth = await authOn(target);
      const session = await targetAuth.api.getSession({ headers: new Headers({ cookie }) });
      assert.equal(session?.user.email, "ada@example.test");
      assert.equal((await targetAuth.api.signInEmail({ body: { email: "bob@example.test", password: "bob's password" } })).user.id, bob.id);
      assert.equal((await target.prisma.user.findUniqueOrThrow({ where: { id: bob.id } })).workspaceRole, "viewer");
      assert.equal((await target.prisma.documentMember.findFirstOrThrow({ where: { documentId: ids[0] } })).role, "editor");
      assert.equal((await findLiveShareLink(target.prisma, link.token))?.documentId, ids[1]);
      assert.equal((await target.prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).workspaceRole, "editor");
      assert.deepEqual(new Uint8Array((await target.prisma.documentImage.findUniqueOrThrow({ where: { id: "move-image-1" } })).bytes), png);
      assert.ok((await target.prisma.document.findUniqueOrThrow({ where: { id: ids[2] } })).trashedAt, "still in Trash");
      // New edits are numbered above what the snapshot merged, or they would count as merged.
      await targetStorage.append(ids[0], paragraphUpdate(new Y.Doc(), "after the move"));
      const [next] = await target.prisma.documentUpdate.findMany({ where: { documentId: ids[0] } });
      assert.ok(next.seq > snapshot.upToSeq, `new update seq ${next.seq} > snapshot's ${snapshot.upToSeq}`);
    } finally {
      await target.close();
    }
  });

  test("a target holding any row is refused with nothing written", { timeout: 120_000 }, async () => {
    const sourceDb = await fresh("pglite");
    const source = await openDatabase(sourceDb.options);
    await source.prisma.document.create({ data: { id: "move-doc-refused000000", title: "Mine" } });
    await source.close();
    const targetDb = await fresh("postgres");
    const target = await openDatabase(targetDb.options);
    try {
      await target.prisma.setting.create({ data: { key: "someone_else", value: "here first" } });
      const lines: string[] = [];
      await assert.rejects(
        moveToPostgres({ dataDir: sourceDb.options.dataDir, to: targetDb.options.databaseUrl!, print: (line) => lines.push(line), progress: () => undefined }),
        (error: Error) => error instanceof MoveRefusedError && /target database is not empty \(settings: 1 rows\)/.test(error.message),
      );
      const query = (text: string, ...params: unknown[]) => target.prisma.$queryRawUnsafe(text, ...params) as Promise<never[]>;
      assert.deepEqual(await nonEmptyTables(query), [{ name: "settings", rows: 1 }]);
      assert.deepEqual(lines, []);
    } finally {
      await target.close();
    }
  });

  test("a failure halfway leaves the target without a row", { timeout: 120_000 }, async () => {
    const sourceDb = await fresh("pglite");
    const source = await openDatabase(sourceDb.options);
    const id = "move-doc-halfway000000";
    await source.prisma.document.create({ data: { id, title: "Halfway" } });
    const png = solidPng(4, 4);
    await source.prisma.documentImage.create({ data: { id: "move-image-2", documentId: id, contentType: "image/png", byteSize: png.length, sha256: sha256(png), bytes: png } });
    await source.close();
    // The target's schema is in place (empty), and PostgreSQL itself refuses images: the move
    // fails after documents were inserted in its transaction.
    const targetDb = await fresh("postgres");
    const target = await openDatabase(targetDb.options);
    try {
      await target.prisma.$executeRawUnsafe(
        `CREATE FUNCTION refuse_images() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$`,
      );
      await target.prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_images BEFORE INSERT ON document_images FOR EACH ROW EXECUTE FUNCTION refuse_images()`);
      const tables = await listTables((text, ...params) => target.prisma.$queryRawUnsafe(text, ...params));
      assert.ok(tables.findIndex((t) => t.name === "documents") < tables.findIndex((t) => t.name === "document_images"), "documents before their images");
      await assert.rejects(
        moveToPostgres({ dataDir: sourceDb.options.dataDir, to: targetDb.options.databaseUrl!, print: () => undefined, progress: () => undefined }),
        /disk full \(test\)/,
      );
      const query = (text: string, ...params: unknown[]) => target.prisma.$queryRawUnsafe(text, ...params) as Promise<never[]>;
      assert.deepEqual(await nonEmptyTables(query), []);
    } finally {
      await target.close();
    }
  });

  test("refused while the server runs on the data directory: stop the server first", { timeout: 180_000 }, async () => {
    const sourceDb = await fresh("pglite");
    const targetDb = await fresh("postgres");
    const server = await startAppTestServer(sourceDb.options, { SIGNUP: "open" });
    try {
      const refused = await moveCli(sourceDb.options.dataDir, targetDb.options.databaseUrl!);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /the server is running on .*: stop the server first/);
    } finally {
      await server.close();
      await closeDatabase();
    }
    // Not even the schema: the refusal comes before the migrations.
    const target = new pg.Client({ connectionString: targetDb.options.databaseUrl });
    await target.connect();
    try {
      const { rows } = await target.query(`SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'`);
      assert.equal(rows[0].tables, 0, "nothing written");
    } finally {
      await target.end();
    }
  });
});
