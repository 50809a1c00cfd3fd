-- Hand-written: keep content, metadata and search_text inline (compressed if need be) instead of
-- TOASTed out of line. With the 3 kB PLAIN vector in the same row, the toaster otherwise moves them to
-- the TOAST table, and every lexical rank (`ts_rank_cd` reads search_text of each match) and every
-- metadata recheck pays 3-4 extra buffer reads per row: measured 4x slower lexical ranking at 100k
-- events. MAIN still moves a value out of line when the row cannot fit a page, so large contents are
-- fine. Recurses to existing partitions; partition maintenance re-applies the parent's storage.
ALTER TABLE "events" ALTER COLUMN "content" SET STORAGE MAIN;
--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "metadata" SET STORAGE MAIN;
--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "search_text" SET STORAGE MAIN;
