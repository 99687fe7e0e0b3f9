// Data you can take away: `npm run admin -- export --out <dir>` writes every document as
// Markdown and HTML (to read anywhere) and as its exact Yjs state (to restore), its images,
// and the accounts and roles, with a manifest; `import <dir>` restores that into an empty
// instance, in one transaction, after checking every file against the manifest's hashes.
//
// An export is written to `<dir>.partial-<pid>` and renamed when complete, so an interrupted
// one never looks like an export. Password hashes travel too (people keep signing in with
// their passwords after a move): the directory is created 0700, like a database dump.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../db/Database.ts";
import type { DocumentStorage } from "../collab/storage/DocumentStorage.ts";
import { runConversion, type ExportResult, type ExportTask } from "../documents/conversion/conversionTasks.ts";
import { UsageError } from "./adminCommands.ts";

const FORMAT = "collab-editor-export";
const VERSION = 1;

interface ManifestUser {
  id: string;
  name: string;
  email: string;
  role: string;
  workspaceRole: string | null;
  deactivatedAt: string | null;
  createdAt: string;
  /** Better Auth's credential (scrypt hash); null for an account without a password. */
  passwordHash: string | null;
}

interface ManifestDocument {
  id: string;
  title: string;
  ownerId: string | null;
  createdAt: string;
  updatedAt: string;
  trashedAt: string | null;
  /** SHA-256 (hex) of documents/<id>/state.yjs, the whole Yjs state as one update (v1). */
  stateSha256: string;
  members: { userId: string; role: string }[];
  images: { id: string; contentType: string; sha256: string; uploaderId: string | null }[];
}

interface Manifest {
  format: typeof FORMAT;
  version: typeof VERSION;
  exportedAt: string;
  users: ManifestUser[];
  documents: ManifestDocument[];
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const documentDir = (root: string, id: string) => path.join(root, "documents", id);
/** Lets a running server answer its sockets between two documents of a long export. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function exportWorkspace(
  {
    prisma,
    storage,
    convert = async (task) => runConversion(task) as ExportResult,
  }: { prisma: PrismaClient; storage: DocumentStorage; convert?: (task: ExportTask) => Promise<ExportResult> },
  outDir: string,
  print: (line: string) => void,
): Promise<void> {
  const target = path.resolve(outDir);
  if (await stat(target).then(() => true, () => false)) throw new UsageError(`${target} exists; give a new directory`);
  const partial = `${target}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true, mode: 0o700 });
  try {
    const users = await prisma.user.findMany({ orderBy: { createdAt: "asc" }, include: { accounts: { where: { providerId: "credential" } } } });
    const documents = await prisma.document.findMany({ orderBy: { createdAt: "asc" }, include: { members: true } });
    const manifest: Manifest = {
      format: FORMAT,
      version: VERSION,
      exportedAt: new Date().toISOString(),
      users: users.map((user) => ({
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        workspaceRole: user.workspaceRole,
        deactivatedAt: user.deactivatedAt?.toISOString() ?? null,
        createdAt: user.createdAt.toISOString(),
        passwordHash: user.accounts[0]?.password ?? null,
      })),
      documents: [],
    };
    for (const [index, document] of documents.entries()) {
      const dir = documentDir(partial, document.id);
      await mkdir(path.join(dir, "images"), { recursive: true });
      const state = (await storage.load(document.id)) ?? new Uint8Array([0, 0]);
      await writeFile(path.join(dir, "state.yjs"), state);
      for (const format of ["markdown", "html"] as const) {
        const { text } = await convert({ kind: "export", format, state });
        await writeFile(path.join(dir, format === "markdown" ? "content.md" : "content.html"), text);
      }
      const images = await prisma.documentImage.findMany({ where: { documentId: document.id }, orderBy: { createdAt: "asc" } });
      for (const image of images) await writeFile(path.join(dir, "images", image.id), image.bytes);
      manifest.documents.push({
        id: document.id,
        title: document.title,
        ownerId: document.ownerId,
        createdAt: document.createdAt.toISOString(),
        updatedAt: document.updatedAt.toISOString(),
        trashedAt: document.trashedAt?.toISOString() ?? null,
        stateSha256: sha256(state),
        members: document.members.map((member) => ({ userId: member.userId, role: member.role })),
        images: images.map((image) => ({ id: image.id, contentType: image.contentType, sha256: image.sha256, uploaderId: image.uploaderId })),
      });
      print(`exported ${index + 1}/${documents.length}: ${document.title}`);
      await yieldToEventLoop();
    }
    await writeFile(path.join(partial, "manifest.json"), JSON.stringify(manifest, null, 2));
    await rename(partial, target);
    print(`export complete: ${users.length} accounts, ${documents.length} documents in ${target}`);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

export async function importWorkspace(prisma: PrismaClient, inDir: string, print: (line: string) => void): Promise<void> {
  const root = path.resolve(inDir);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(root, "manifest.json"), "utf8")) as Manifest;
  } catch {
    throw new UsageError(`${root} holds no readable manifest.json: not an export (or an interrupted one)`);
  }
  if (manifest.format !== FORMAT || manifest.version !== VERSION) throw new UsageError(`${root} is not an export this version can read`);
  const [documentCount, userCount] = await Promise.all([prisma.document.count(), prisma.user.count()]);
  if (documentCount > 0 || userCount > 0) {
    throw new UsageError(`this instance is not empty (${userCount} accounts, ${documentCount} documents): import only into a new one`);
  }
  // Every file is read and checked before anything is written: a damaged export changes nothing.
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const document of manifest.documents) {
    const dir = documentDir(root, document.id);
    const state = new Uint8Array(await readFile(path.join(dir, "state.yjs")));
    if (sha256(state) !== document.stateSha256) throw new UsageError(`document ${document.id}: state.yjs does not match the manifest (damaged export)`);
    files.set(`${document.id}/state`, state);
    for (const image of document.images) {
      const bytes = new Uint8Array(await readFile(path.join(dir, "images", image.id)));
      if (sha256(bytes) !== image.sha256) throw new UsageError(`image ${image.id}: bytes do not match the manifest (damaged export)`);
      files.set(`${document.id}/images/${image.id}`, bytes);
    }
  }
  await prisma.$transaction(
    async (tx) => {
      for (const user of manifest.users) {
        await tx.user.create({
          data: {
            id: user.id,
            name: user.name,
            email: user.email,
            role: user.role,
            workspaceRole: user.workspaceRole,
            deactivatedAt: user.deactivatedAt ? new Date(user.deactivatedAt) : null,
            createdAt: new Date(user.createdAt),
          },
        });
        if (user.passwordHash) {
          await tx.account.create({ data: { id: `${user.id}-credential`, accountId: user.id, providerId: "credential", userId: user.id, password: user.passwordHash } });
        }
      }
      for (const [index, document] of manifest.documents.entries()) {
        await tx.document.create({
          data: {
            id: document.id,
            title: document.title,
            ownerId: document.ownerId,
            createdAt: new Date(document.createdAt),
            updatedAt: new Date(document.updatedAt),
            trashedAt: document.trashedAt ? new Date(document.trashedAt) : null,
          },
        });
        await tx.documentUpdate.create({ data: { documentId: document.id, update: files.get(`${document.id}/state`)! } });
        for (const member of document.members) await tx.documentMember.create({ data: { documentId: document.id, userId: member.userId, role: member.role } });
        for (const image of document.images) {
          const bytes = files.get(`${document.id}/images/${image.id}`)!;
          await tx.documentImage.create({
            data: { id: image.id, documentId: document.id, uploaderId: image.uploaderId, contentType: image.contentType, byteSize: bytes.length, sha256: image.sha256, bytes },
          });
        }
        print(`imported ${index + 1}/${manifest.documents.length}: ${document.title}`);
      }
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
  print(`import complete: ${manifest.users.length} accounts, ${manifest.documents.length} documents (search and titles are projected as the server runs)`);
}
