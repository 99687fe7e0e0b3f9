// Document metadata (id, title, timestamps) for the pages and the REST API. Content lives in
// the collab server's update log and snapshots, never here. Expected failures come back as
// values keyed on a `code`, so callers map them to HTTP statuses without try/catch.
import { log } from "../log.ts";
import { getDatabase } from "../db/getDatabase.ts";
import { isValidDocumentId, newDocumentId } from "../../lib/documentId.ts";
import { DEFAULT_DOCUMENT_TITLE, normalizeDocumentTitle, type TitleCheck } from "../../lib/documents/documentTitle.ts";
import { containsControlCharacter } from "../../lib/text/controlCharacters.ts";
import type { PrismaClient } from "../db/Database.ts";
import type { DocumentPageCursor } from "./documentListCursor.ts";

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

/** Someone shown beside a listed document (its owner, its last editor). */
export interface PersonRef {
  id: string;
  name: string;
}

/** A document in the list: with its owner (the page offers "Move to Trash" to them) and the
 *  account whose edit reached it last. */
export interface ListedDocument extends DocumentSummary {
  ownerId: string | null;
  owner: PersonRef | null;
  lastEditor: PersonRef | null;
}

/** How the list is ordered: most recently edited first, or by title (A to Z, ignoring case). */
export type DocumentSort = "updated" | "title";
export const DOCUMENT_SORTS: readonly DocumentSort[] = ["updated", "title"];

/** Which of the documents the account can open are listed: all, those it owns, or those
 *  someone else owns (shared with it by a membership, its workspace role or its admin role). */
export type DocumentFilter = "all" | "owned" | "shared";
export const DOCUMENT_FILTERS: readonly DocumentFilter[] = ["all", "owned", "shared"];

/** One page of the list and where the next one starts (null: this was the last). */
export interface DocumentPage {
  documents: ListedDocument[];
  nextCursor: DocumentPageCursor | null;
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
export function unavailable(operation: string, error: unknown): { ok: false; code: DocumentErrorCode; message: string } {
  log.error(`${operation} failed`, { area: "documents", error });
  return failure("unavailable", "The document store is unavailable; try again shortly.");
}

/** Positional parameters ($1, $2, ...) collected while a statement is assembled. */
export class SqlParams {
  readonly values: unknown[] = [];
  /** The placeholder of `value`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The WHERE condition (over `documents d`) of the documents `userId` may see in lists and
 * search: the rules of server/access/documentRole.ts (admins and workspace-wide roles open
 * every document, others those they own or are a member of), never those in Trash, nor
 * never-edited empty ones past EMPTY_DOCUMENT_LIST_GRACE_MS; narrowed by `filter`. Null when
 * the account does not exist (it sees nothing).
 */
export async function visibleDocumentsSql(
  prisma: PrismaClient,
  params: SqlParams,
  userId: string,
  { filter = "all", now = new Date() }: { filter?: DocumentFilter; now?: Date } = {},
): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { role: true, workspaceRole: true } });
  if (!user) return null;
  const seesAll = user.role === "admin" || user.workspaceRole !== null;
  // Added when first used: a parameter the statement never reads has no type PostgreSQL can infer.
  let placeholder: string | null = null;
  const me = () => (placeholder ??= params.add(userId));
  const conditions = [
    "d.trashed_at IS NULL",
    `(d.created_at >= ${params.add(new Date(now.getTime() - EMPTY_DOCUMENT_LIST_GRACE_MS))}
      OR d.title <> ${params.add(DEFAULT_DOCUMENT_TITLE)}
      OR EXISTS (SELECT 1 FROM document_updates u WHERE u.document_id = d.id)
      OR EXISTS (SELECT 1 FROM document_snapshots s WHERE s.document_id = d.id))`,
  ];
  if (!seesAll) {
    conditions.push(`(d.owner_id = ${me()} OR EXISTS (SELECT 1 FROM document_members m WHERE m.document_id = d.id AND m.user_id = ${me()}))`);
  }
  if (filter === "owned") conditions.push(`d.owner_id = ${me()}`);
  if (filter === "shared") conditions.push(`d.owner_id IS DISTINCT FROM ${me()}`);
  return conditions.join("\n  AND ");
}

/** Columns of a listed document (over `documents d`, owner `o`, last editor `e`). */
export const LISTED_COLUMNS = `d.id, d.title, d.created_at, d.updated_at, d.owner_id, o.name AS owner_name,
  d.last_editor_id, e.name AS last_editor_name`;
/** Joins that LISTED_COLUMNS reads. */
export const LISTED_JOINS = "LEFT JOIN users o ON o.id = d.owner_id LEFT JOIN users e ON e.id = d.last_editor_id";

/** A row of LISTED_COLUMNS. */
export interface ListedRow {
  id: string;
  title: string;
  created_at: Date;
  updated_at: Date;
  owner_id: string | null;
  owner_name: string | null;
  last_editor_id: string | null;
  last_editor_name: string | null;
}

export function listedDocument(row: ListedRow): ListedDocument {
  return {
    id: row.id,
    title: row.title,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    ownerId: row.owner_id,
    owner: row.owner_id && row.owner_name !== null ? { id: row.owner_id, name: row.owner_name } : null,
    lastEditor: row.last_editor_id && row.last_editor_name !== null ? { id: row.last_editor_id, name: row.last_editor_name } : null,
  };
}

// Title order: case-insensitive, then by code point ("C"), the same on PostgreSQL and on PGlite
// whatever locale either was initialised with, so pages never overlap or skip when an
// instance on one engine hands a cursor to another.
const TITLE_KEY = `lower(d.title) COLLATE "C"`;

/** The ORDER BY and the condition "after the cursor" of a sort. */
function sortSql(params: SqlParams, cursor: DocumentPageCursor | null, sort: DocumentSort): { order: string; after: string } {
  if (sort === "title") {
    const order = `${TITLE_KEY} ASC, d.id ASC`;
    if (cursor?.sort !== "title") return { order, after: "TRUE" };
    const title = `lower(${params.add(cursor.cursor.title)}) COLLATE "C"`;
    const id = params.add(cursor.cursor.id);
    return { order, after: `(${TITLE_KEY} > ${title} OR (${TITLE_KEY} = ${title} AND d.id > ${id}))` };
  }
  const order = "d.updated_at DESC, d.id ASC";
  if (cursor?.sort !== "updated") return { order, after: "TRUE" };
  const at = params.add(cursor.cursor.updatedAt);
  const id = params.add(cursor.cursor.id);
  return { order, after: `(d.updated_at < ${at} OR (d.updated_at = ${at} AND d.id > ${id}))` };
}

/** Page sizes are whole numbers from 1 to MAX_DOCUMENT_PAGE_SIZE. */
export function clampPageSize(pageSize: number): number {
  return Math.min(Math.max(1, Math.floor(pageSize)), MAX_DOCUMENT_PAGE_SIZE);
}

/** One page of the documents an account can open (see visibleDocumentsSql), most recently
 *  updated first or by title. Pages are keyed on the sort's own key and the id, not offsets,
 *  so each document appears once however many are created meanwhile; one edited while someone
 *  pages by last edit moves to the top and is seen next time. A cursor of another sort
 *  starts from the first page. */
export async function listDocuments(
  userId: string,
  {
    cursor = null,
    pageSize = DOCUMENT_PAGE_SIZE,
    sort = cursor?.sort ?? "updated",
    filter = "all",
    now = new Date(),
  }: { cursor?: DocumentPageCursor | null; pageSize?: number; sort?: DocumentSort; filter?: DocumentFilter; now?: Date } = {},
): Promise<DocumentResult<DocumentPage>> {
  const take = clampPageSize(pageSize);
  try {
    const { prisma, sql } = await getDatabase();
    const params = new SqlParams();
    const visible = await visibleDocumentsSql(prisma, params, userId, { filter, now });
    if (visible === null) return { ok: true, value: { documents: [], nextCursor: null } };
    const { order, after } = sortSql(params, cursor, sort);
    // One more than a page tells whether another page follows.
    const rows = await sql.query<ListedRow>(
      `SELECT ${LISTED_COLUMNS} FROM documents d ${LISTED_JOINS}
       WHERE ${visible} AND ${after}
       ORDER BY ${order} LIMIT ${params.add(take + 1)}`,
      params.values,
    );
    const documents = rows.slice(0, take).map(listedDocument);
    const last = documents.at(-1);
    let nextCursor: DocumentPageCursor | null = null;
    if (rows.length > take && last) {
      nextCursor =
        sort === "title"
          ? { sort, cursor: { title: last.title, id: last.id } }
          : { sort, cursor: { updatedAt: last.updatedAt, id: last.id } };
    }
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
