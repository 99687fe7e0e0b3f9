-- Search that costs what a page costs, not what the matches cost (issue 12; bench/search.ts).
-- Written by hand like 20261130163500_document_search, except the trashed_at index, which
-- schema.prisma now declares (partial indexes, a preview feature of Prisma 7).
--
-- Measured on 10,000 documents (bench/search.ts, EXPLAIN ANALYZE): the GIN index finds the
-- matches of a common word in 1-2 ms, but
-- - the planner, which counts `search_vector @@ query` as free, often reads every row instead
--   (a sequential scan, or the trashed_at index for "trashed_at IS NULL") and evaluates @@ on
--   each one, fetching and decompressing its ~6 KB search_vector from TOAST: 100-250 ms;
-- - ranking visited every match and decompressed its ~1.5 KB search_rank_vector, mostly stored
--   out of line: ~12 µs a match, 100+ ms for a word found in most documents.
-- server/documents/searchDocuments.ts now plans its query with sequential scans off, ranks at
-- most SEARCH_CANDIDATES matches (found through the GIN indexes, which never read the vectors
-- back), and this migration makes the rest cheap:

-- 1. The trashed_at index holds only documents in Trash (what the Trash view and the purge look
-- up): indexing the NULL of every live document offered the planner a path that reads every
-- live row for "trashed_at IS NULL".
DROP INDEX "documents_trashed_at_idx";
CREATE INDEX "documents_trashed_at_idx" ON "documents"("trashed_at") WHERE (trashed_at IS NOT NULL);

-- 2. The rank vector is the title and the first 400 characters of the content (was 1,000),
-- cut before a word that runs past them, so each of its words is a word of search_vector too
-- (search finds documents through either, and must find the same ones). ~750 bytes, kept in
-- the row (STORAGE MAIN: compressed there if it must be, moved out of line only as a last
-- resort), so ranking a match reads no TOAST. The title still ranks first (weight A), then the
-- opening lines (B), the rest of the text alike.
CREATE FUNCTION "documents_search_opening"(content text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN length(content) > 400 AND substr(content, 401, 1) !~ '\s' THEN regexp_replace(left(content, 400), '\S+$', '')
    ELSE left(content, 400)
  END
$$;

CREATE OR REPLACE FUNCTION "documents_search_vector"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  title_vector tsvector := setweight(to_tsvector('simple'::regconfig, translate(coalesce(NEW."title", ''), '<', ' ')), 'A');
BEGIN
  NEW."search_vector" := title_vector ||
    setweight(to_tsvector('simple'::regconfig, translate(left(coalesce(NEW."content_text", ''), 200000), '<', ' ')), 'B');
  NEW."search_rank_vector" := title_vector ||
    setweight(to_tsvector('simple'::regconfig, translate("documents_search_opening"(coalesce(NEW."content_text", '')), '<', ' ')), 'B');
  RETURN NEW;
END
$$;

ALTER TABLE "documents" ALTER COLUMN "search_rank_vector" SET STORAGE MAIN;

-- Documents that existed before: the trigger fires for this no-op update of the title (and the
-- rewritten rows follow the new storage).
UPDATE "documents" SET "title" = "title";

-- 3. The documents whose title or opening lines hold every word of a query, straight from an
-- index: the candidates that rank highest, so a query matching thousands of documents still
-- ranks its best ones (searchDocuments.ts takes up to SEARCH_CANDIDATES from here and as many
-- from search_vector's index).
CREATE INDEX "documents_search_rank_vector_idx" ON "documents" USING GIN ("search_rank_vector");

-- 4. New entries wait in a GIN index's pending list (fastupdate) until it holds
-- gin_pending_list_limit (4 MB by default) or (auto)vacuum merges it, and every search reads the
-- whole list: a 4 MB list costs a search several milliseconds per index (EXPLAIN: 440 buffers
-- for 1,000 matches). A 256 kB list keeps that small; the writes that fill it (a projection
-- written, a document touched while edited) merge it into the index a little more often.
ALTER INDEX "documents_search_vector_idx" SET (gin_pending_list_limit = 256);
ALTER INDEX "documents_search_rank_vector_idx" SET (gin_pending_list_limit = 256);
