// Export → import round trip through the admin commands: an instance's accounts (with their
// passwords), documents (exact Yjs state, title, roles, Trash), images, and the readable
// Markdown/HTML copies; import refuses a non-empty instance and a damaged export, changing nothing.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import * as Y from "yjs";
import { openDatabase } from "../db/openDatabase.ts";
import type { Database } from "../db/Database.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../testing/testDatabase.ts";
import { createAuth } from "../auth/createAuth.ts";
import { runAdminCommand } from "./adminCommands.ts";
import { SqlDocumentStorage } from "../collab/storage/SqlDocumentStorage.ts";
import { EDITOR_FRAGMENT_NAME } from "../../lib/editor/extensions.ts";
import { documentTitleText } from "../../lib/editor/documentTitleText.ts";

process.env.LOG_LEVEL = "silent";
const PUBLIC_URL = "http://localhost:3000";

interface Instance {
  db: TestDatabase;
  database: Database;
  run(...args: string[]): Promise<string[]>;
}

async function instance(kind: "pglite" | "postgres"): Promise<Instance> {
  const db = (await createTestDatabase(kind))!;
  const database = await openDatabase(db.options);
  const auth = createAuth({ prisma: database.prisma, secret: "x".repeat(32), publicUrl: PUBLIC_URL, trustedOrigins: [PUBLIC_URL], signup: { current: async () => "invite" } });
  return {
    db,
    database,
    async run(...args) {
      const lines: string[] = [];
      const context = { prisma: database.prisma, storage: new SqlDocumentStorage(database.sql), auth, publicUrl: PUBLIC_URL, print: (line: string) => lines.push(line), accessChanged: () => undefined };
      await runAdminCommand(context, args);
      return lines;
    },
  };
}

function stateOf(update: Uint8Array): { text: string; title: string; encoded: Uint8Array } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return { text: doc.getXmlFragment(EDITOR_FRAGMENT_NAME).toString(), title: documentTitleText(doc).toString(), encoded: Y.encodeStateAsUpdate(doc) };
}

for (const kind of databaseKinds) {
  describe(`export and import (${kind})`, () => {
    let source: Instance;
    let target: Instance;
    let scratch: string;
    const closing: Instance[] = [];

    before(async () => {
      source = await instance(kind);
      target = await instance(kind);
      closing.push(source, target);
      scratch = await mkdtemp(path.join(tmpdir(), "collab-export-"));
    });

    after(async () => {
      for (const { database, db } of closing) {
        await database.close();
        await db.drop();
      }
      await rm(scratch, { recursive: true, force: true });
    });

    test("everything comes back: accounts that sign in with their passwords, documents with identical Yjs state, roles, Trash, images", async () => {
      await source.run("create-user", "--email", "ada@example.test", "--name", "Ada", "--password", "ada's password");
      await source.run("create-user", "--email", "bob@example.test", "--name", "Bob", "--password", "bob's password", "--workspace-role", "viewer");
      const prisma = source.database.prisma;
      const ada = await prisma.user.findUniqueOrThrow({ where: { email: "ada@example.test" } });
      const bob = await prisma.user.findUniqueOrThrow({ where: { email: "bob@example.test" } });
      const storage = new SqlDocumentStorage(source.database.sql);
      const ids = ["export-doc-aaaaaaaaaaa", "export-doc-bbbbbbbbbbb"];
      for (const [index, id] of ids.entries()) {
        await prisma.document.create({ data: { id, title: `Doc ${index}`, ownerId: ada.id, trashedAt: index === 1 ? new Date() : null } });
        const doc = new Y.Doc();
        documentTitleText(doc).insert(0, `Doc ${index}`);
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText(`Hello from document ${index} — ünïcode`)]);
        doc.getXmlFragment(EDITOR_FRAGMENT_NAME).insert(0, [paragraph]);
        await storage.append(id, Y.encodeStateAsUpdate(doc));
      }
      await prisma.documentMember.create({ data: { documentId: ids[0], userId: bob.id, role: "editor" } });
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
      const { createHash } = await import("node:crypto");
      await prisma.documentImage.create({
        data: { id: "image-1", documentId: ids[0], uploaderId: ada.id, contentType: "image/png", byteSize: png.length, sha256: createHash("sha256").update(png).digest("hex"), bytes: png },
      });

      const out = path.join(scratch, "backup");
      const exported = await source.run("export", "--out", out);
      assert.match(exported.at(-1)!, /export complete: 2 accounts, 2 documents/);
      assert.match(await readFile(path.join(out, "documents", ids[0], "content.md"), "utf8"), /Hello from document 0 — ünïcode/);
      assert.match(await readFile(path.join(out, "documents", ids[0], "content.html"), "utf8"), /<p>Hello from document 0/);
      await assert.rejects(source.run("export", "--out", out), /exists/);

      const imported = await target.run("import", out);
      assert.match(imported.at(-1)!, /import complete: 2 accounts, 2 documents/);
      const targetStorage = new SqlDocumentStorage(target.database.sql);
      for (const id of ids) {
        const before = stateOf((await storage.load(id))!);
        const after = stateOf((await targetStorage.load(id))!);
        assert.equal(after.text, before.text);
        assert.equal(after.title, before.title);
        assert.deepEqual(after.encoded, before.encoded, "identical Yjs state");
      }
      const restored = await target.database.prisma.document.findUniqueOrThrow({ where: { id: ids[1] } });
      assert.ok(restored.trashedAt, "still in Trash");
      const member = await target.database.prisma.documentMember.findFirstOrThrow({ where: { documentId: ids[0] } });
      assert.equal(member.userId, bob.id);
      const image = await target.database.prisma.documentImage.findUniqueOrThrow({ where: { id: "image-1" } });
      assert.deepEqual(new Uint8Array(image.bytes), png);
      const targetAuth = createAuth({ prisma: target.database.prisma, secret: "y".repeat(32), publicUrl: PUBLIC_URL, trustedOrigins: [PUBLIC_URL], signup: { current: async () => "invite" } });
      const signedIn = await targetAuth.api.signInEmail({ body: { email: "bob@example.test", password: "bob's password" } });
      assert.equal(signedIn.user.email, "bob@example.test");
      const bobAfter = await target.database.prisma.user.findUniqueOrThrow({ where: { email: "bob@example.test" } });
      assert.equal(bobAfter.workspaceRole, "viewer");
    });

    test("import refuses a non-empty instance and a damaged export, changing nothing", async () => {
      const out = path.join(scratch, "backup");
      await assert.rejects(target.run("import", out), /not empty/);
      const fresh = await instance(kind);
      closing.push(fresh);
      const manifest = JSON.parse(await readFile(path.join(out, "manifest.json"), "utf8")) as { documents: { id: string }[] };
      const damaged = path.join(out, "documents", manifest.documents[1].id, "state.yjs");
      const original = await readFile(damaged);
      await writeFile(damaged, Buffer.concat([original, Buffer.from([0])]));
      await assert.rejects(fresh.run("import", out), /does not match the manifest/);
      assert.equal(await fresh.database.prisma.user.count(), 0);
      assert.equal(await fresh.database.prisma.document.count(), 0);
      await assert.rejects(fresh.run("import", path.join(scratch, "nothing-here")), /no readable manifest/);
    });
  });
}
