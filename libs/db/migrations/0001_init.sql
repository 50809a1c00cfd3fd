CREATE TABLE "events" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"timestamp" timestamp with time zone DEFAULT now() NOT NULL,
	"content" jsonb NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"embedding" vector(768),
	"embedding_model" text,
	"search_text" "tsvector" GENERATED ALWAYS AS (jsonb_to_tsvector('simple'::regconfig, content, '["string"]'::jsonb)) STORED,
	CONSTRAINT "events_pkey" PRIMARY KEY("id","timestamp")
) PARTITION BY RANGE ("timestamp");
--> statement-breakpoint
-- Hand-written: keep 768-d vectors (3 kB) inline; TOASTed vectors make the planner skip HNSW on
-- small partitions. Partitions inherit the setting; maintenance re-applies it to every partition.
ALTER TABLE "events" ALTER COLUMN "embedding" SET STORAGE PLAIN;
--> statement-breakpoint
CREATE TABLE "nodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"label" text NOT NULL,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"repository" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "edges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" uuid NOT NULL,
	"target" uuid NOT NULL,
	"relation" text NOT NULL,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"repository" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"repository" text NOT NULL,
	"path" text NOT NULL,
	"language" text NOT NULL,
	"content_hash" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"line_count" integer NOT NULL,
	"commit" text,
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_chunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_id" uuid NOT NULL,
	"repository" text NOT NULL,
	"file_path" text NOT NULL,
	"language" text NOT NULL,
	"chunk_type" text NOT NULL,
	"name" text NOT NULL,
	"qualified_name" text NOT NULL,
	"signature" text,
	"docstring" text,
	"start_line" integer NOT NULL,
	"end_line" integer NOT NULL,
	"source" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"embedding_text" vector(768),
	"embedding_text_model" text,
	"embedding_code" vector(768),
	"embedding_code_model" text,
	"search_text" "tsvector",
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Hand-written: see events.embedding.
ALTER TABLE "code_chunks" ALTER COLUMN "embedding_text" SET STORAGE PLAIN;
--> statement-breakpoint
ALTER TABLE "code_chunks" ALTER COLUMN "embedding_code" SET STORAGE PLAIN;
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_at" timestamp with time zone,
	"locked_by" text,
	"last_error" text,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "edges" ADD CONSTRAINT "edges_source_nodes_id_fk" FOREIGN KEY ("source") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "edges" ADD CONSTRAINT "edges_target_nodes_id_fk" FOREIGN KEY ("target") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_chunks" ADD CONSTRAINT "code_chunks_file_id_code_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."code_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_id_idx" ON "events" USING btree ("id");--> statement-breakpoint
CREATE INDEX "events_timestamp_idx" ON "events" USING btree ("timestamp" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "events_metadata_idx" ON "events" USING gin ("metadata" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "events_search_text_idx" ON "events" USING gin ("search_text");--> statement-breakpoint
CREATE INDEX "events_embedding_hnsw_idx" ON "events" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "nodes_type_idx" ON "nodes" USING btree ("type");--> statement-breakpoint
CREATE INDEX "nodes_repository_label_idx" ON "nodes" USING btree ("repository","label");--> statement-breakpoint
CREATE INDEX "nodes_label_trgm_idx" ON "nodes" USING gin ("label" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "edges_source_relation_idx" ON "edges" USING btree ("source","relation");--> statement-breakpoint
CREATE INDEX "edges_target_relation_idx" ON "edges" USING btree ("target","relation");--> statement-breakpoint
CREATE INDEX "edges_repository_relation_idx" ON "edges" USING btree ("repository","relation");--> statement-breakpoint
CREATE UNIQUE INDEX "code_files_repository_path_idx" ON "code_files" USING btree ("repository","path");--> statement-breakpoint
CREATE INDEX "code_files_repository_language_idx" ON "code_files" USING btree ("repository","language");--> statement-breakpoint
CREATE INDEX "code_chunks_repository_path_line_idx" ON "code_chunks" USING btree ("repository","file_path","start_line");--> statement-breakpoint
CREATE INDEX "code_chunks_file_id_idx" ON "code_chunks" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "code_chunks_repository_type_idx" ON "code_chunks" USING btree ("repository","chunk_type");--> statement-breakpoint
CREATE INDEX "code_chunks_search_text_idx" ON "code_chunks" USING gin ("search_text");--> statement-breakpoint
CREATE INDEX "code_chunks_name_trgm_idx" ON "code_chunks" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "code_chunks_qualified_name_trgm_idx" ON "code_chunks" USING gin ("qualified_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "code_chunks_embedding_text_hnsw_idx" ON "code_chunks" USING hnsw ("embedding_text" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "code_chunks_embedding_code_hnsw_idx" ON "code_chunks" USING hnsw ("embedding_code" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "jobs_ready_idx" ON "jobs" USING btree ("run_at") WHERE status = 'queued';--> statement-breakpoint
CREATE INDEX "jobs_kind_status_idx" ON "jobs" USING btree ("kind","status");