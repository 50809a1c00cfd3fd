CREATE TABLE "corpus_stats" (
	"shard" smallint PRIMARY KEY NOT NULL,
	"docs" bigint NOT NULL,
	"tokens" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lexeme_stats" (
	"lexeme" text NOT NULL,
	"shard" smallint NOT NULL,
	"df" bigint NOT NULL,
	CONSTRAINT "lexeme_stats_pkey" PRIMARY KEY("lexeme","shard")
);
--> statement-breakpoint
CREATE TABLE "search_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "search_text" DROP EXPRESSION;--> statement-breakpoint
-- Hand-written from here. search_text is no longer generated: a generated column fixes one text search
-- configuration in the table definition, while the configuration is a setting (TEXT_SEARCH_CONFIG,
-- english by default). The trigger below writes it with the configuration named in search_settings,
-- which queries read too. Existing rows are rewritten with `english` (they were `simple`).
INSERT INTO "search_settings" ("key", "value") VALUES ('text_search_config', 'english');
--> statement-breakpoint
CREATE FUNCTION "events_search_text"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := jsonb_to_tsvector(
    (SELECT value FROM search_settings WHERE key = 'text_search_config')::regconfig,
    NEW.content, '["string"]'::jsonb);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "events_search_text" BEFORE INSERT OR UPDATE OF "content" ON "events"
  FOR EACH ROW EXECUTE FUNCTION "events_search_text"();
--> statement-breakpoint
UPDATE "events" SET "search_text" = jsonb_to_tsvector('english'::regconfig, "content", '["string"]'::jsonb);
--> statement-breakpoint
-- BM25 statistics: document frequency per lexeme, event and token counts. `sign` is +1 for rows
-- added, -1 for rows removed. Rows go to the shard of the writing backend, so concurrent writers
-- rarely update the same row; readers sum the shards. Lexemes are upserted in sorted order (no
-- deadlock between two writers).
CREATE FUNCTION "search_stats_add"(vectors tsvector[], sign integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO lexeme_stats (lexeme, shard, df)
    SELECT u.lexeme, pg_backend_pid() % 8, sign * count(*)
      FROM unnest(vectors) AS v(doc), unnest(v.doc) AS u
     WHERE v.doc IS NOT NULL
     GROUP BY u.lexeme
     ORDER BY u.lexeme
  ON CONFLICT (lexeme, shard) DO UPDATE SET df = lexeme_stats.df + excluded.df;
  INSERT INTO corpus_stats (shard, docs, tokens)
    SELECT pg_backend_pid() % 8, sign * count(*), sign * coalesce(sum(
             (SELECT sum(coalesce(array_length(u.positions, 1), 1)) FROM unnest(v.doc) AS u)), 0)
      FROM unnest(vectors) AS v(doc)
     WHERE v.doc IS NOT NULL
  ON CONFLICT (shard) DO UPDATE SET docs = corpus_stats.docs + excluded.docs, tokens = corpus_stats.tokens + excluded.tokens;
$$;
--> statement-breakpoint
CREATE FUNCTION "events_search_stats_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_stats_add(ARRAY(SELECT search_text FROM new_rows), 1);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "events_search_stats_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_stats_add(ARRAY(SELECT search_text FROM old_rows), -1);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "events_search_stats_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Set by a rewrite of every row (a change of configuration), which recounts everything after.
  IF current_setting('mnemolite.search_stats_paused', true) = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM search_stats_add(ARRAY(SELECT search_text FROM old_rows), -1);
  PERFORM search_stats_add(ARRAY(SELECT search_text FROM new_rows), 1);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "events_search_stats_insert" AFTER INSERT ON "events"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "events_search_stats_insert"();
--> statement-breakpoint
CREATE TRIGGER "events_search_stats_delete" AFTER DELETE ON "events"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "events_search_stats_delete"();
--> statement-breakpoint
CREATE TRIGGER "events_search_stats_update" AFTER UPDATE ON "events"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "events_search_stats_update"();
--> statement-breakpoint
-- Recounts every statistic from the stored rows: after this migration, after a retention drop (whole
-- partitions go without triggers) and after a change of text search configuration.
CREATE FUNCTION "search_stats_rebuild"() RETURNS void LANGUAGE sql AS $$
  DELETE FROM lexeme_stats;
  DELETE FROM corpus_stats;
  INSERT INTO lexeme_stats (lexeme, shard, df)
    SELECT u.lexeme, 0, count(*) FROM events AS e, unnest(e.search_text) AS u GROUP BY u.lexeme;
  INSERT INTO corpus_stats (shard, docs, tokens)
    SELECT 0, count(*), coalesce(sum(
             (SELECT sum(coalesce(array_length(u.positions, 1), 1)) FROM unnest(e.search_text) AS u)), 0)
      FROM events AS e
     WHERE e.search_text IS NOT NULL;
$$;
--> statement-breakpoint
SELECT search_stats_rebuild();
