// Trash: a document moved there is hidden from lists, closed on every socket (4410) and refused
// to its links and the API until it is restored; deleted forever on request or
// TRASH_RETENTION_DAYS after it was trashed (server/documents/TrashSweep.ts). Expected failures
// come back as values, as in documentRepository.ts.
import { log } from "../log.ts";
import { getDatabase } from "../db/getDatabase.ts";
import type { PrismaClient } from "../db/Database.ts";
import { isValidDocumentId } from "../../lib/documentId.ts";
import {
  DOCUMENT_PAGE_SIZE,
  MAX_DOCUMENT_PAGE_SIZE,
  type DocumentErrorCode,
  type DocumentResult,
} from "./documentRepository.ts";
import type { DocumentListCursor } from "./documentListCursor.ts";

/** A document in Trash as listed. */
export interface TrashedDocument {
  id: string;
  title: string;
  updatedAt: Date;
  trashedAt: Date;
}

/** One page of the Trash; the cursor's `updatedAt` carries the last row's trashedAt. */
export interface TrashPage {
  documents: TrashedDocument[];
  nextCursor: DocumentListCursor | null;
}

const MS_PER_DAY = 86_400_000;

function failure(code: DocumentErrorCode, message: string): { ok: false; code: DocumentErrorCode; message: string } {
  return { ok: false, code, message };
}

function unavailable(operation: string, error: unknown): { ok: false; code: DocumentErrorCode; message: string } {
  log.error(`${operation} failed`, { area: "documents", error });
  return failure("unavailable", "The document store is unavailable; try again shortly.");
}

/** Moves a document to Trash (a document already there keeps its first trashedAt). The caller
 *  publishes the access change so open sockets close. */
export async function trashDocument(id: string, now = new Date()): Promise<DocumentResult<{ trashedAt: Date }>> {
  if (!isValidDocumentId(id)) return failure("invalid_id", "Invalid document id.");
  try {
    const { prisma } = await getDatabase();
    await prisma.document.updateMany({ where: { id, trashedAt: null }, data: { trashedAt: now } });
    const row = await prisma.document.findUnique({ where: { id }, select: { trashedAt: true } });
    if (!row?.trashedAt) return failure("not_found", "Document not found.");
    return { ok: true, value: { trashedAt: row.trashedAt } };
  } catch (error) {
    return unavailable("trash", error);
  }
}

/** Takes a document out of Trash. */
export async function restoreDocument(id: string): Promise<DocumentResult<{ restored: boolean }>> {
  if (!isValidDocumentId(id)) return failure("invalid_id", "Invalid document id.");
  try {
    const { prisma } = await getDatabase();
    const { count } = await prisma.document.updateMany({ where: { id, trashedAt: { not: null } }, data: { trashedAt: null } });
    if (count === 0) {
      const exists = await prisma.document.count({ where: { id } });
      if (exists === 0) return failure("not_found", "Document not found.");
      return failure("not_in_trash", "The document is not in the Trash.");
    }
    return { ok: true, value: { restored: true } };
  } catch (error) {
    return unavailable("restore", error);
  }
}

/** Deletes a document in Trash for good: its row, and with it (ON DELETE CASCADE) its update
 *  log, snapshot, memberships and share links. A document not in Trash is refused: deleting
 *  forever is always the second of two steps. */
export async function deleteDocumentForever(id: string): Promise<DocumentResult<{ deleted: true }>> {
  if (!isValidDocumentId(id)) return failure("invalid_id", "Invalid document id.");
  try {
    const { prisma } = await getDatabase();
    const { count } = await prisma.document.deleteMany({ where: { id, trashedAt: { not: null } } });
    if (count === 0) {
      const exists = await prisma.document.count({ where: { id } });
      if (exists === 0) return failure("not_found", "Document not found.");
      return failure("not_in_trash", "Only a document in the Trash can be deleted forever; move it to the Trash first.");
    }
    return { ok: true, value: { deleted: true } };
  } catch (error) {
    return unavailable("delete forever", error);
  }
}

/** One page of the account's Trash, most recently trashed first: the documents it owns, or
 *  every trashed document for an admin (admins own every document). */
export async function listTrash(
  userId: string,
  { cursor = null, pageSize = DOCUMENT_PAGE_SIZE }: { cursor?: DocumentListCursor | null; pageSize?: number } = {},
): Promise<DocumentResult<TrashPage>> {
  const take = Math.min(Math.max(1, Math.floor(pageSize)), MAX_DOCUMENT_PAGE_SIZE);
  try {
    const { prisma } = await getDatabase();
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { role: true } });
    if (!user) return { ok: true, value: { documents: [], nextCursor: null } };
    const owned = user.role === "admin" ? {} : { ownerId: userId };
    const after = cursor
      ? { OR: [{ trashedAt: { lt: cursor.updatedAt } }, { trashedAt: cursor.updatedAt, id: { gt: cursor.id } }] }
      : {};
    const rows = await prisma.document.findMany({
      where: { AND: [owned, after, { trashedAt: { not: null } }] },
      select: { id: true, title: true, updatedAt: true, trashedAt: true },
      orderBy: [{ trashedAt: "desc" }, { id: "asc" }],
      take: take + 1,
    });
    const documents = rows.slice(0, take).map((row) => ({ ...row, trashedAt: row.trashedAt! }));
    const last = documents.at(-1);
    const nextCursor = rows.length > take && last ? { updatedAt: last.trashedAt, id: last.id } : null;
    return { ok: true, value: { documents, nextCursor } };
  } catch (error) {
    return unavailable("list trash", error);
  }
}

/** When a document trashed at `trashedAt` is purged. */
export function purgeDueAt(trashedAt: Date, retentionDays: number): Date {
  return new Date(trashedAt.getTime() + retentionDays * MS_PER_DAY);
}

/** Deletes forever every document trashed more than `retentionDays` before `now`; returns how
 *  many. One statement, so instances sweeping at the same moment do not conflict: a row is
 *  deleted by whichever gets it first, the other simply does not find it. */
export async function purgeExpiredTrash(prisma: PrismaClient, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * MS_PER_DAY);
  const { count } = await prisma.document.deleteMany({ where: { trashedAt: { not: null, lt: cutoff } } });
  return count;
}
