// Where the next page of the document list starts: the (updatedAt, id) of the last document
// shown, the list's own sort key, so a page boundary never shifts when documents are added.
// On the wire it is "<updatedAt in epoch ms>.<id>": URL-safe as it is (ids are [A-Za-z0-9_-])
// and exact, because updated_at is stored with millisecond precision.
import { isValidDocumentId } from "../../lib/documentId.ts";

export interface DocumentListCursor {
  updatedAt: Date;
  id: string;
}

const CURSOR_PATTERN = /^(\d{1,15})\.([^.]+)$/;

export function encodeDocumentListCursor(cursor: DocumentListCursor): string {
  return `${cursor.updatedAt.getTime()}.${cursor.id}`;
}

/** The cursor in `text`, or null when it is not one this server made. */
export function decodeDocumentListCursor(text: string): DocumentListCursor | null {
  const match = CURSOR_PATTERN.exec(text);
  if (!match || !isValidDocumentId(match[2])) return null;
  const updatedAt = new Date(Number(match[1]));
  return Number.isNaN(updatedAt.getTime()) ? null : { updatedAt, id: match[2] };
}
