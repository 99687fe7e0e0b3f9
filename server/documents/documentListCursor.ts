// Where the next page of a document list starts: the sort key and id of the last document
// shown, so a page boundary never shifts when documents are added. The key follows the sort:
// - by time (last edited; the Trash by trashedAt): "<epoch ms>.<id>", exact because the
//   timestamps are stored with millisecond precision;
// - by title: "t<title as base64url>.<id>";
// - search results by rank: "r<rank>.<id>", the float4 ts_rank in its shortest exact decimal.
// Each is URL-safe as it is (ids are [A-Za-z0-9_-], base64url has no ".").
import { isValidDocumentId } from "../../lib/documentId.ts";

/** A cursor of a list ordered by a time, newest first. */
export interface DocumentListCursor {
  updatedAt: Date;
  id: string;
}

/** A cursor of the list ordered by title. */
export interface TitleCursor {
  title: string;
  id: string;
}

/** A cursor of search results, best first. */
export interface RankCursor {
  rank: number;
  id: string;
}

const TIME_PATTERN = /^(\d{1,15})\.([^.]+)$/;
const TITLE_PATTERN = /^t([A-Za-z0-9_-]{0,1000})\.([^.]+)$/;
const RANK_PATTERN = /^r(\d{1,3}(?:\.\d{1,20})?(?:e-\d{1,3})?)\.([^.]+)$/;

export function encodeDocumentListCursor(cursor: DocumentListCursor): string {
  return `${cursor.updatedAt.getTime()}.${cursor.id}`;
}

/** The cursor in `text`, or null when it is not one this server made. */
export function decodeDocumentListCursor(text: string): DocumentListCursor | null {
  const match = TIME_PATTERN.exec(text);
  if (!match || !isValidDocumentId(match[2])) return null;
  const updatedAt = new Date(Number(match[1]));
  return Number.isNaN(updatedAt.getTime()) ? null : { updatedAt, id: match[2] };
}

export function encodeTitleCursor(cursor: TitleCursor): string {
  return `t${Buffer.from(cursor.title, "utf8").toString("base64url")}.${cursor.id}`;
}

export function decodeTitleCursor(text: string): TitleCursor | null {
  const match = TITLE_PATTERN.exec(text);
  if (!match || !isValidDocumentId(match[2])) return null;
  const title = Buffer.from(match[1], "base64url").toString("utf8");
  // Bytes that are not UTF-8 decode to U+FFFD; such a cursor was not made here.
  if (title.includes("\uFFFD") || encodeTitleCursor({ title, id: match[2] }) !== text) return null;
  return { title, id: match[2] };
}

export function encodeRankCursor(cursor: RankCursor): string {
  return `r${cursor.rank}.${cursor.id}`;
}

export function decodeRankCursor(text: string): RankCursor | null {
  const match = RANK_PATTERN.exec(text);
  if (!match || !isValidDocumentId(match[2])) return null;
  const rank = Number(match[1]);
  return Number.isFinite(rank) ? { rank, id: match[2] } : null;
}

/** Where a page of the document list starts, in the key of its sort. */
export type DocumentPageCursor = { sort: "updated"; cursor: DocumentListCursor } | { sort: "title"; cursor: TitleCursor };

export function encodePageCursor(page: DocumentPageCursor): string {
  return page.sort === "title" ? encodeTitleCursor(page.cursor) : encodeDocumentListCursor(page.cursor);
}

/** The cursor in `text` for a list sorted by `sort`; null when it is not one this server made
 *  for that sort (a cursor must follow the sort it was made for). */
export function decodePageCursor(text: string, sort: DocumentPageCursor["sort"]): DocumentPageCursor | null {
  if (sort === "title") {
    const cursor = decodeTitleCursor(text);
    return cursor && { sort, cursor };
  }
  const cursor = decodeDocumentListCursor(text);
  return cursor && { sort, cursor };
}
