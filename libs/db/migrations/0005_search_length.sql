ALTER TABLE "events" ADD COLUMN "search_length" integer;
--> statement-breakpoint
-- Hand-written from here. The same BEFORE trigger that analyses the content now also counts its tokens
-- (lexemes with their repeats, as corpus_stats.tokens does), on insert, on a content update, and when
-- search_text is rewritten directly (a text search configuration change re-analyses every row).
CREATE OR REPLACE FUNCTION "events_search_text"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.content IS DISTINCT FROM OLD.content THEN
    NEW.search_text := jsonb_to_tsvector(
      (SELECT value FROM search_settings WHERE key = 'text_search_config')::regconfig,
      NEW.content, '["string"]'::jsonb);
  END IF;
  NEW.search_length := (SELECT coalesce(sum(coalesce(cardinality(u.positions), 1)), 0) FROM unnest(NEW.search_text) AS u);
  RETURN NEW;
END $$;
--> statement-breakpoint
DROP TRIGGER "events_search_text" ON "events";
--> statement-breakpoint
CREATE TRIGGER "events_search_text" BEFORE INSERT OR UPDATE OF "content", "search_text" ON "events"
  FOR EACH ROW EXECUTE FUNCTION "events_search_text"();
--> statement-breakpoint
UPDATE "events" SET "search_length" = (SELECT coalesce(sum(coalesce(cardinality(u.positions), 1)), 0) FROM unnest("search_text") AS u)
 WHERE "search_text" IS NOT NULL;
