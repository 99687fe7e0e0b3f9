// What a person types into the search box, as a PostgreSQL tsquery. Never handed to
// to_tsquery as typed: its operators (& | ! <-> : * ( ) ') would be syntax errors or surprises.
// The words are cut out here, each quoted as a lexeme and ANDed; the last one also matches as a
// prefix, so results follow the typing ("collab" already finds "collaboration").

/** Longest query accepted, in characters (400 beyond). */
export const MAX_SEARCH_QUERY_CHARS = 200;
/** Words of a query that count; the rest is ignored (each one only narrows the results). */
export const MAX_SEARCH_WORDS = 12;
/** A last word shorter than this matches whole words only: a one- or two-letter prefix matches
 *  nearly every document and would make each keystroke rank the whole workspace. */
export const MIN_PREFIX_CHARS = 3;

// Letters (any script), combining marks and digits: what PostgreSQL's parser keeps in a word.
// Everything else (spaces, punctuation, tsquery operators) separates words.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** The words of a query as the search matches them. */
export function searchWords(text: string): string[] {
  return (text.normalize("NFC").match(WORD) ?? []).slice(0, MAX_SEARCH_WORDS);
}

/** The tsquery text for to_tsquery('simple', …); null when the query has no word at all. */
export function toSearchTsquery(text: string): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return words
    .map((word, i) => {
      const prefix = i === words.length - 1 && [...word].length >= MIN_PREFIX_CHARS;
      // Quoted: the word is a lexeme, whatever it contains. WORD admits no quote to escape.
      return `'${word}'${prefix ? ":*" : ""}`;
    })
    .join(" & ");
}
