CREATE TABLE "event_vectors" (
	"id" uuid NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"embedding_model" text,
	"embedding" halfvec(768) NOT NULL,
	CONSTRAINT "event_vectors_pkey" PRIMARY KEY("id","timestamp")
);
--> statement-breakpoint
DROP INDEX "events_embedding_hnsw_idx";--> statement-breakpoint
CREATE INDEX "event_vectors_timestamp_idx" ON "event_vectors" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "event_vectors_embedding_hnsw_idx" ON "event_vectors" USING hnsw ("embedding" halfvec_cosine_ops);--> statement-breakpoint
-- Hand-written from here. event_vectors is the vector search index of events (one HNSW graph instead of
-- one per monthly partition: the layout chosen by the ablation in libs/memory/SEARCH.md). It is written
-- only by these statement triggers on events, in the same transaction as the change: rows with an
-- embedding are copied on insert; an update re-copies rows whose timestamp, model or vector changed;
-- delete and truncate remove them. Statements aimed at a partition itself (partition maintenance moving
-- back-dated rows) pass by these triggers: the re-insert through the parent finds the row already there
-- (ON CONFLICT), and a retention drop is followed by a prune (libs/db/src/partitions.ts).
ALTER TABLE "event_vectors" ALTER COLUMN "embedding" SET STORAGE PLAIN;
--> statement-breakpoint
CREATE FUNCTION "event_vectors_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A conflict is a row re-inserted through the parent by partition maintenance: same key, kept.
  INSERT INTO event_vectors (id, "timestamp", embedding_model, embedding)
    SELECT n.id, n."timestamp", n.embedding_model, n.embedding::halfvec(768) FROM new_rows n WHERE n.embedding IS NOT NULL
  ON CONFLICT (id, "timestamp") DO UPDATE
    SET embedding_model = excluded.embedding_model, embedding = excluded.embedding
    WHERE (event_vectors.embedding_model, event_vectors.embedding)
          IS DISTINCT FROM (excluded.embedding_model, excluded.embedding);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "event_vectors_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM event_vectors v USING old_rows o WHERE v.id = o.id AND v."timestamp" = o."timestamp";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "event_vectors_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Rows whose vector, model and timestamp stayed as they were keep their index entry (a content edit
  -- costs no HNSW insert); the others leave, and come back from new_rows if they have a vector.
  DELETE FROM event_vectors v USING old_rows o
   WHERE v.id = o.id AND v."timestamp" = o."timestamp"
     AND NOT EXISTS (SELECT 1 FROM new_rows n
                      WHERE n.id = o.id AND n."timestamp" = o."timestamp"
                        AND n.embedding_model IS NOT DISTINCT FROM o.embedding_model
                        AND n.embedding IS NOT DISTINCT FROM o.embedding);
  INSERT INTO event_vectors (id, "timestamp", embedding_model, embedding)
    SELECT n.id, n."timestamp", n.embedding_model, n.embedding::halfvec(768) FROM new_rows n WHERE n.embedding IS NOT NULL
  ON CONFLICT (id, "timestamp") DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "event_vectors_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE event_vectors;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "event_vectors_insert" AFTER INSERT ON "events"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "event_vectors_insert"();
--> statement-breakpoint
CREATE TRIGGER "event_vectors_delete" AFTER DELETE ON "events"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "event_vectors_delete"();
--> statement-breakpoint
CREATE TRIGGER "event_vectors_update" AFTER UPDATE ON "events"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "event_vectors_update"();
--> statement-breakpoint
CREATE TRIGGER "event_vectors_truncate" AFTER TRUNCATE ON "events"
  FOR EACH STATEMENT EXECUTE FUNCTION "event_vectors_truncate"();
--> statement-breakpoint
INSERT INTO event_vectors (id, "timestamp", embedding_model, embedding)
  SELECT id, "timestamp", embedding_model, embedding::halfvec(768) FROM events WHERE embedding IS NOT NULL;
