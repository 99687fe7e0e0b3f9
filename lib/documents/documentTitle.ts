// Document title rules, shared by the API (validation) and the browser (input limits).

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
