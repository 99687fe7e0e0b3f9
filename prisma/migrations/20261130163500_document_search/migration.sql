-- Full-text search over documents (issue 12), written by hand: schema.prisma cannot express a
-- tsvector column, its trigger or a GIN index. Prisma never reads or writes `search_vector`;
-- the trigger keeps it in step with title and content_text.
--
-- A stored column rather than a GIN index over the expression: ranking (ts_rank) needs the
-- tsvector of every matching row, and with an expression index PostgreSQL recomputes
-- to_tsvector over the whole text of each one. Measured on 10,000
-- documents of ~5 KB: 7 s for a word found in a few thousand of them, against ~0.1 s with the
-- stored vector (bench/search.ts has the figures as shipped).
--
-- Configuration 'simple' (lower-case, no stemming, no stop words), deliberately: a team writes
-- in more than one language, and 'english' would stem a German or French text into nonsense and
-- drop words that are stop words only in English. 'simple' matches whole words in every
-- language, identically on PostgreSQL and PGlite (which ship the same parser and dictionaries);
-- the prefix match on the last word of a query ("collab" finds "collaboration") covers most of
-- what stemming would. Weights: title 'A' above content 'B', so ts_rank's default weights
-- (A 1.0, B 0.4) put a title match first.
--
-- "<" is read as a space: PostgreSQL's parser takes "<b>" or "<script>" for an XML tag and
-- drops it, but content_text is plain text, where "<div>" is something a person wrote and looks for.
--
-- Only the first 200,000 characters of the content are indexed: a tsvector is limited to 1 MB,
-- and a larger projection (an imported book, a pasted dump) must never make its UPDATE fail.
ALTER TABLE "documents" ADD COLUMN "search_vector" tsvector NOT NULL DEFAULT ''::tsvector;

CREATE FUNCTION "documents_search_vector"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search_vector" :=
    setweight(to_tsvector('simple'::regconfig, translate(coalesce(NEW."title", ''), '<', ' ')), 'A') ||
    setweight(to_tsvector('simple'::regconfig, translate(left(coalesce(NEW."content_text", ''), 200000), '<', ' ')), 'B');
  RETURN NEW;
END
$$;

-- UPDATE OF: only writes that change what is indexed pay for it, not the updated_at touch of
-- every edit nor a move to Trash.
CREATE TRIGGER "documents_search_vector"
  BEFORE INSERT OR UPDATE OF "title", "content_text" ON "documents"
  FOR EACH ROW EXECUTE FUNCTION "documents_search_vector"();

-- Documents that existed before: the trigger fires for this no-op update of the title.
UPDATE "documents" SET "title" = "title";

CREATE INDEX "documents_search_vector_idx" ON "documents" USING GIN ("search_vector");
