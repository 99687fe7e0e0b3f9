-- Ranking reads less (issue 12), written by hand like 20261130163500_document_search.
--
-- ts_rank needs the tsvector of every document that matches, and search_vector holds the whole
-- text (~6 KB for a 5 KB document, stored compressed out of line): for a word found in 2,000
-- documents that is 12 MB to fetch and decompress per query, most of the search's time
-- (bench/search.ts: p95 ~500 ms over 10,000 documents). search_rank_vector holds the title and
-- the first 1,000 characters of the content (~1 KB, kept in the row): matching still uses the
-- whole text through the GIN index on search_vector, ranking only this lead, so a word in the
-- title ranks first (weight A), then in the opening lines (B), then anywhere else (all alike,
-- by id). Same configuration and "<" handling as search_vector.
ALTER TABLE "documents" ADD COLUMN "search_rank_vector" tsvector NOT NULL DEFAULT ''::tsvector;

CREATE OR REPLACE FUNCTION "documents_search_vector"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  title_vector tsvector := setweight(to_tsvector('simple'::regconfig, translate(coalesce(NEW."title", ''), '<', ' ')), 'A');
BEGIN
  NEW."search_vector" := title_vector ||
    setweight(to_tsvector('simple'::regconfig, translate(left(coalesce(NEW."content_text", ''), 200000), '<', ' ')), 'B');
  NEW."search_rank_vector" := title_vector ||
    setweight(to_tsvector('simple'::regconfig, translate(left(coalesce(NEW."content_text", ''), 1000), '<', ' ')), 'B');
  RETURN NEW;
END
$$;

-- Documents that existed before: the trigger fires for this no-op update of the title.
UPDATE "documents" SET "title" = "title";
