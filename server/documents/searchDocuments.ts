// Full-text search over the documents an account can open: titles and content (the plain-text
// projection in documents.content_text), matched through the GIN indexes on
// documents.search_vector (the whole text, migration 20261130163500_document_search) and
// search_rank_vector (the title and the opening lines, migrations 20261130171000_document_search_rank
// and 20261130193636_document_search_candidates), ranked by ts_rank over search_rank_vector (a
// title match first, then one in the first lines), each with its title and a snippet whose
// matches are marked.
//
// What a search costs is bounded by a page, not by how many documents match: at most
// SEARCH_CANDIDATES matches are ranked (see there), found through the indexes only.
import { getDatabase } from "../db/getDatabase.ts";
import { searchWords, toSearchTsquery } from "./searchQuery.ts";
import type { RankCursor } from "./documentListCursor.ts";
import {
  clampPageSize,
  LISTED_COLUMNS,
  LISTED_JOINS,
  listedDocument,
  SqlParams,
  unavailable,
  visibleDocumentsSql,
  type DocumentFilter,
  type DocumentResult,
  type ListedDocument,
  type ListedRow,
} from "./documentRepository.ts";

/** Results on one page when the caller does not say. */
export const SEARCH_PAGE_SIZE = 10;

/**
 * Matches ranked for one query, at most, from each of the two indexes: the first this many
 * documents (in storage order) whose title or opening lines hold every word, and the first this
 * many holding them anywhere. A query that matches fewer (nearly every query a person types in
 * a real workspace) is ranked exactly and pages through all its matches. A broader one (a word
 * found in thousands of documents) is ranked among those candidates only: its best-ranked
 * results still come first when they have the words in the title or opening lines (unless
 * more than this many do), other matches past the candidates are not listed, and the page says
 * so (`capped`) so the person can add a word. Ranking every match instead costs ~12 µs a
 * match: 100+ ms per keystroke for a common word over 10,000 documents (bench/search.ts).
 */
export const SEARCH_CANDIDATES = 1_000;
/** Characters of the content that a snippet is cut from: a window around the first place the
 *  query's longest word occurs. ts_headline parses all the text it is given (~0.5 µs a
 *  character here, 40-80 ms for a page of 5 KB documents); the window bounds that per result.
 *  ~130 words: room for the two fragments of 24 words a snippet shows (was 1,200: text parsed
 *  that no snippet showed). */
const SNIPPET_WINDOW_CHARS = 800;
/** How far before that place the window starts, so the snippet has some context before it. */
const SNIPPET_LEAD_CHARS = 200;

/**
 * How the search statement is planned. The planner counts `vector @@ query` as free and, for a
 * common word, would rather read every row (and fetch its vector from TOAST to test it) than
 * use the index: without sequential scans the GIN indexes are the only way to the matches
 * (documents_trashed_at_idx holds only documents in Trash). JIT compilation, which the costs
 * estimated for thousands of matches would start on a large workspace, takes longer than the
 * query itself.
 */
const SEARCH_PLANNER_SETTINGS = { enable_seqscan: "off", jit: "off" };

/** A piece of a snippet: text as stored, and whether it is a match (shown marked). */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/** A search result: the listed document, its rank, its title with the matches marked, and a
 *  snippet of its content around the matches. */
export interface SearchHit extends ListedDocument {
  rank: number;
  titleParts: SnippetPart[];
  snippet: SnippetPart[];
}

export interface SearchPage {
  documents: SearchHit[];
  nextCursor: RankCursor | null;
  /** The query matched at least SEARCH_CANDIDATES documents: results come from those only. */
  capped: boolean;
}

const NOTHING: SearchPage = { documents: [], nextCursor: null, capped: false };

// ts_headline marks matches with these. They are control characters, which the projection
// never stores (and which are blanked out of the text before highlighting anyway), so a snippet
// splits unambiguously into plain text and matches. "<" goes through ts_headline as LESS_THAN
// and back: its parser would take "<b>" or "<script>" in the plain text for a tag and drop it. Nothing of it is ever HTML: the page renders
// the parts as text inside <mark>, so a document cannot inject markup through its snippet.
const START_MATCH = "\u0002";
const STOP_MATCH = "\u0003";
const LESS_THAN = "\u0004";
// Two fragments of up to 24 words around the matches, joined by an ellipsis.
const MARKS = `StartSel=${START_MATCH}, StopSel=${STOP_MATCH}`;
const HEADLINE_OPTIONS = `${MARKS}, MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter=" … "`;
// The whole title, every match marked.
const TITLE_OPTIONS = `${MARKS}, HighlightAll=true`;

/** Splits ts_headline's output into marked and unmarked parts. */
export function snippetParts(headline: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, piece] of headline.replaceAll(LESS_THAN, "<").split(START_MATCH).entries()) {
    const [matched, rest] = i === 0 ? [null, piece] : splitOnce(piece, STOP_MATCH);
    if (matched) parts.push({ text: matched, match: true });
    if (rest) parts.push({ text: rest, match: false });
  }
  return parts;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + separator.length)];
}

interface HitRow extends ListedRow {
  rank: number;
  headline: string;
  title_headline: string;
  cut: boolean;
  capped: boolean;
}

function longestWord(query: string): string {
  return searchWords(query).reduce((longest, word) => (word.length > longest.length ? word : longest), "");
}

/** A snippet cut from the middle of the text says so. */
function withLeadingEllipsis(parts: SnippetPart[], cut: boolean): SnippetPart[] {
  return cut && parts.length > 0 ? [{ text: "… ", match: false }, ...parts] : parts;
}

/** ts_headline over `text` (an SQL expression), its sentinels kept unambiguous (see above). */
function headlineSql(text: string, query: string, options: string): string {
  return `ts_headline('simple', translate(${text}, E'\\x02\\x03<', E'  \\x04'), ${query}, ${options})`;
}

/**
 * The SELECT that turns `hits` (a CTE of id and rank, ranked and cut to a page) into the page's
 * rows: the listed columns, and snippets (the costly part: ts_headline parses the text) for
 * those rows only. `q` is the query's tsquery expression, `query` the text as typed. Exported
 * for bench/search.ts, which times the way search ranked before with the same page.
 */
export function pageWithSnippetsSql(params: SqlParams, query: string, q: string): string {
  // Where the snippet's window starts: before the first occurrence of the longest word (the
  // rarest, likely) as a substring, ASCII case folded alike on both sides; from the start
  // when it is not found there (a title-only match, case folding lower() does not do).
  const anchor = params.add(longestWord(query).toLowerCase());
  const windowStart = `greatest(1, strpos(lower(d.content_text), ${anchor}) - ${SNIPPET_LEAD_CHARS})`;
  const window = `substr(d.content_text, ${windowStart}, ${SNIPPET_WINDOW_CHARS})`;
  return `SELECT ${LISTED_COLUMNS}, h.rank,
      ${headlineSql(window, q, params.add(HEADLINE_OPTIONS))} AS headline, ${windowStart} > 1 AS cut,
      ${headlineSql("d.title", q, params.add(TITLE_OPTIONS))} AS title_headline
    FROM hits h JOIN documents d ON d.id = h.id ${LISTED_JOINS}`;
}

/**
 * One page of the documents `userId` can open (the list's rules: never in Trash) that contain
 * every word of `query` (the last also as a prefix), best first: by rank, then id, keyed so a
 * cursor continues exactly where the page ended. A query without any word finds nothing.
 */
export async function searchDocuments(
  userId: string,
  query: string,
  {
    cursor = null,
    pageSize = SEARCH_PAGE_SIZE,
    filter = "all",
    now = new Date(),
  }: { cursor?: RankCursor | null; pageSize?: number; filter?: DocumentFilter; now?: Date } = {},
): Promise<DocumentResult<SearchPage>> {
  const tsquery = toSearchTsquery(query);
  if (tsquery === null) return { ok: true, value: NOTHING };
  const take = clampPageSize(pageSize);
  try {
    const { prisma, sql } = await getDatabase();
    const params = new SqlParams();
    const visible = await visibleDocumentsSql(prisma, params, userId, { filter, now });
    if (visible === null) return { ok: true, value: NOTHING };
    const q = `to_tsquery('simple', ${params.add(tsquery)})`;
    const rank = `ts_rank(d.search_rank_vector, ${q})`;
    const candidates = params.add(SEARCH_CANDIDATES);
    let after = "TRUE";
    if (cursor) {
      const r = `${params.add(cursor.rank)}::real`;
      after = `(c.rank < ${r} OR (c.rank = ${r} AND c.id > ${params.add(cursor.id)}))`;
    }
    // The candidates (SEARCH_CANDIDATES) from each index, ranked and cut to a page, then the
    // page's snippets. The opening lines' index is read only when the matches are more than
    // the candidates (otherwise `anywhere` holds them all already; a one-time filter, decided
    // before its scan). The two sets overlap, and a document in both has the same rank in
    // both: UNION keeps it once. Every word of the opening is a word of the whole text (the
    // migration cuts it between words), so `opening` holds matches only.
    const rows = await sql.query<HitRow>(
      `WITH anywhere AS (
         SELECT d.id, ${rank} AS rank FROM documents d
         WHERE d.search_vector @@ ${q} AND ${visible} LIMIT ${candidates}
       ), capped AS (
         SELECT count(*) >= ${candidates} AS capped FROM anywhere
       ), opening AS (
         SELECT d.id, ${rank} AS rank FROM documents d
         WHERE (SELECT capped FROM capped) AND d.search_rank_vector @@ ${q} AND ${visible} LIMIT ${candidates}
       ), hits AS (
         SELECT c.id, c.rank FROM (SELECT * FROM opening UNION SELECT * FROM anywhere) c
         WHERE ${after} ORDER BY c.rank DESC, c.id ASC LIMIT ${params.add(take + 1)}
       )
       SELECT page.*, (SELECT capped FROM capped) AS capped
       FROM (${pageWithSnippetsSql(params, query, q)}) page
       ORDER BY page.rank DESC, page.id ASC`,
      params.values,
      { settings: SEARCH_PLANNER_SETTINGS },
    );
    const documents = rows.slice(0, take).map((row) => ({
      ...listedDocument(row),
      rank: Number(row.rank),
      titleParts: snippetParts(row.title_headline ?? row.title),
      snippet: withLeadingEllipsis(snippetParts(row.headline ?? ""), row.cut),
    }));
    const last = documents.at(-1);
    const nextCursor = rows.length > take && last ? { rank: last.rank, id: last.id } : null;
    return { ok: true, value: { documents, nextCursor, capped: rows.some((row) => row.capped) } };
  } catch (error) {
    return unavailable("search", error);
  }
}
