import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** One row per indexed source file; `content_hash` makes re-indexing incremental. */
export const codeFiles = pgTable(
  'code_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    repository: text('repository').notNull(),
    path: text('path').notNull(),
    language: text('language').notNull(),
    contentHash: text('content_hash').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    lineCount: integer('line_count').notNull(),
    commit: text('commit'),
    indexedAt: timestamp('indexed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('code_files_repository_path_idx').on(t.repository, t.path),
    index('code_files_repository_language_idx').on(t.repository, t.language),
  ],
);

export type CodeFileRow = typeof codeFiles.$inferSelect;
export type NewCodeFileRow = typeof codeFiles.$inferInsert;
