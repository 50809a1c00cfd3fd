-- Hand-written step: the extensions every engine needs. pg_partman is optional and handled by the
-- partition maintenance code (it is absent on the embedded engine).
CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
