// Document metadata (id, title, timestamps) for the pages and the REST API. Content lives in
// the collab server's update log and snapshots, never here. Expected failures come back as
// values keyed on a `code`, so callers map them to HTTP statuses without try/catch.
import { getDatabase } from "../db/getDatabase.ts";
import { isValidDocumentId, newDocumentId } from "../../lib/documentId.ts";
import { DEFAULT_DOCUMENT_TITLE, normalizeDocumentTitle, type TitleCheck } from "../../lib/documents/documentTitle.ts";
import { containsControlCharacter } from "../../lib/text/controlCharacters.ts";
import type { DocumentListCursor } from "./documentListCursor.ts";

/** A document as listed and returned by the API. */
export interface DocumentSummary {
  id: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
}

export type DocumentErrorCode = "invalid_id" | "invalid_title" | "not_found" | "not_in_trash" | "unavailable";

export type DocumentResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: DocumentErrorCode; message: string };

/** Documents on one page of the list when the caller does not say. */
export const DOCUMENT_PAGE_SIZE = 50;
/** Most documents one page may hold. */
export const MAX_DOCUMENT_PAGE_SIZE = 200;

/** A document in the list: with its owner, so the page offers "Move to Trash" to them. */
export interface ListedDocument extends DocumentSummary {
  ownerId: string | null;
}

/** One page of the list and where the next one starts (null: this was the last). */
export interface DocumentPage {
  documents: ListedDocument[];
  nextCursor: DocumentListCursor | null;
}

/**
 * How long a never-edited document (default title, nothing stored: no update, no snapshot)
 * stays in the list after it was created. Every "New document" click makes one; those left
 * untouched would pile up as "Untitled" rows. Hidden rather than reused or deleted: reusing
 * would hand the same id to two tabs that each asked for a new document (and the creation
 * route is shared with the import API), and deleting races with someone who opens the page
 * just then. The row stays reachable by its URL and its shares; it only leaves the list.
 */
export const EMPTY_DOCUMENT_LIST_GRACE_MS = 10 * 60_000;

/** The list's filter that keeps a document only when it was ever edited or is young. */
export function everEditedOrRecent(now: Date): object {
  return {
    OR: [
      { createdAt: { gte: new Date(now.getTime() - EMPTY_DOCUMENT_LIST_GRACE_MS) } },
      { title: { not: DEFAULT_DOCUMENT_TITLE } },
      { updates: { some: {} } },
      { snapshot: { isNot: null } },
    ],
  };
}

/** Attempts at creating a document when a freshly drawn id collides (practically never). */
const CREATE_ATTEMPTS = 3;

const summaryFields = { id: true, title: true, createdAt: true, updatedAt: true } as const;

function failure(code: DocumentErrorCode, message: string): { ok: false; code: DocumentErrorCode; message: string } {
  return { ok: false, code, message };
}

/** Prisma's known request errors carry a string `code` such as "P2025"; duck-typed so the
 *  generated client's namespace need not be imported here. */
function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** The database being down or failing is expected in operation; report it, do not throw. */
function unavailable(operation: string, error: unknown): { ok: false; code: DocumentErrorCode; message: string } {
  console.error(`[documents] ${operation} failed`, error);
  return failure("unavailable", "The document store is unavailable; try again shortly.");
}

/** One page of the documents an account can open, most recently updated first: all of them
 *  for admins and workspace-wide roles, otherwise those it owns or is a member of; never those
 *  in Trash, nor never-edited empty ones past EMPTY_DOCUMENT_LIST_GRACE_MS. Pages are
 *  keyed on (updatedAt, id), not offsets, so each document appears once however many are
 *  created meanwhile; one edited while someone pages moves to the top and is seen next time. */
export async function listDocuments(
  userId: string,
  {
    cursor = null,
    pageSize = DOCUMENT_PAGE_SIZE,
    now = new Date(),
  }: { cursor?: DocumentListCursor | null; pageSize?: number; now?: Date } = {},
): Promise<DocumentResult<DocumentPage>> {
  const take = Math.min(Math.max(1, Math.floor(pageSize)), MAX_DOCUMENT_PAGE_SIZE);
  try {
    const { prisma } = await getDatabase();
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { role: true, workspaceRole: true } });
    if (!user) return { ok: true, value: { documents: [], nextCursor: null } };
    const seesAll = user.role === "admin" || user.workspaceRole !== null;
    const visible = seesAll ? {} : { OR: [{ ownerId: userId }, { members: { some: { userId } } }] };
    // After the cursor in the order (updatedAt desc, id asc).
    const after = cursor
      ? { OR: [{ updatedAt: { lt: cursor.updatedAt } }, { updatedAt: cursor.updatedAt, id: { gt: cursor.id } }] }
      : {};
    const rows = await prisma.document.findMany({
      where: { AND: [visible, after, { trashedAt: null }, everEditedOrRecent(now)] },
      select: { ...summaryFields, ownerId: true },
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      // One more than a page tells whether another page follows.
      take: take + 1,
    });
    const documents = rows.slice(0, take);
    const last = documents.at(-1);
    const nextCursor = rows.length > take && last ? { updatedAt: last.updatedAt, id: last.id } : null;
    return { ok: true, value: { documents, nextCursor } };
  } catch (error) {
    return unavailable("list", error);
  }
}

/** One document's metadata. */
export async function getDocument(id: string): Promise<DocumentResult<DocumentSummary>> {
  if (!isValidDocumentId(id)) return failure("invalid_id", "Invalid document id.");
  try {
    const { prisma } = await getDatabase();
    const document = await prisma.document.findUnique({ where: { id }, select: summaryFields });
    if (!document) return failure("not_found", "Document not found.");
    return { ok: true, value: document };
  } catch (error) {
    return unavailable("get", error);
  }
}

/** normalizeDocumentTitle, and no control characters in what would be stored: PostgreSQL
 *  refuses NUL (which surfaced as "store unavailable"), and a title is one line of text. */
export function checkDocumentTitle(raw: unknown): TitleCheck {
  const checked = normalizeDocumentTitle(raw);
  if (checked.ok && containsControlCharacter(checked.title)) {
    return { ok: false, message: "Title must not contain control characters (line breaks, tabs, NUL and the like)." };
  }
  return checked;
}

/** Creates a document owned by `ownerId` with a new random id; `title` defaults to "Untitled". */
export async function createDocument(ownerId: string, title?: unknown): Promise<DocumentResult<DocumentSummary>> {
  let finalTitle = DEFAULT_DOCUMENT_TITLE;
  if (title !== undefined) {
    const checked = checkDocumentTitle(title);
    if (!checked.ok) return failure("invalid_title", checked.message);
    finalTitle = checked.title;
  }
  try {
    const { prisma } = await getDatabase();
    for (let attempt = 1; ; attempt++) {
      try {
        const document = await prisma.document.create({
          data: { id: newDocumentId(), title: finalTitle, ownerId },
          select: summaryFields,
        });
        return { ok: true, value: document };
      } catch (error) {
        // P2002: unique constraint violated, i.e. the random id already exists. Draw again.
        if (prismaErrorCode(error) !== "P2002" || attempt >= CREATE_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    return unavailable("create", error);
  }
}

/** Renames a document; the title is trimmed, must be 1..200 characters and one line. */
export async function renameDocument(id: string, title: unknown): Promise<DocumentResult<DocumentSummary>> {
  if (!isValidDocumentId(id)) return failure("invalid_id", "Invalid document id.");
  const checked = checkDocumentTitle(title);
  if (!checked.ok) return failure("invalid_title", checked.message);
  try {
    const { prisma } = await getDatabase();
    const document = await prisma.document.update({
      where: { id },
      data: { title: checked.title },
      select: summaryFields,
    });
    return { ok: true, value: document };
  } catch (error) {
    // P2025: the record to update does not exist.
    if (prismaErrorCode(error) === "P2025") return failure("not_found", "Document not found.");
    return unavailable("rename", error);
  }
}
