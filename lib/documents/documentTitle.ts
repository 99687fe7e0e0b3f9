// Document title rules, shared by the API (validation), the browser (input limits) and the
// server's projection of the live title (server/documents/DocumentProjection.ts).
import { containsControlCharacter, withoutControlCharacters } from "../text/controlCharacters.ts";

/** Longest accepted title, in characters (Unicode code points). */
export const DOCUMENT_TITLE_MAX_CHARS = 200;

/** Title given to documents created without one. */
export const DEFAULT_DOCUMENT_TITLE = "Untitled";

export type TitleCheck = { ok: true; title: string } | { ok: false; message: string };

/** Trims `raw` and checks it is a string of 1..DOCUMENT_TITLE_MAX_CHARS characters. */
export function normalizeDocumentTitle(raw: unknown): TitleCheck {
  if (typeof raw !== "string") return { ok: false, message: "Title must be a string." };
  const title = raw.trim();
  // Count code points, not UTF-16 units, so an emoji counts as one character.
  const length = [...title].length;
  if (length === 0) return { ok: false, message: "Title must not be empty." };
  if (length > DOCUMENT_TITLE_MAX_CHARS) {
    return { ok: false, message: `Title must be at most ${DOCUMENT_TITLE_MAX_CHARS} characters.` };
  }
  return { ok: true, title };
}

/**
 * The title to show and store for whatever the live title text holds (any client may write it,
 * a stock y-websocket one included): line breaks and tabs become spaces, other control
 * characters go, surrounding space is trimmed, it is cut to DOCUMENT_TITLE_MAX_CHARS, and an
 * empty title reads DEFAULT_DOCUMENT_TITLE. Never refuses: the text is already in the document.
 */
export function displayDocumentTitle(raw: string): string {
  const cleaned = withoutControlCharacters(raw.replace(/[\t\n\r\v\f]+/g, " ")).trim();
  const cut = [...cleaned].slice(0, DOCUMENT_TITLE_MAX_CHARS).join("").trimEnd();
  return cut === "" ? DEFAULT_DOCUMENT_TITLE : cut;
}

/** A heading's text (an imported document's first) as a title: cut to the limit, trimmed; null
 *  when that does not make a valid title (empty, or with control characters). */
export function titleFromHeading(heading: string | null): string | null {
  if (heading === null) return null;
  const checked = normalizeDocumentTitle([...heading].slice(0, DOCUMENT_TITLE_MAX_CHARS).join(""));
  return checked.ok && !containsControlCharacter(checked.title) ? checked.title : null;
}
