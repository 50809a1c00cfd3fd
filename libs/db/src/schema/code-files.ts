import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { namespaceColumn } from './columns';

/**
 * One row per indexed source file; `content_hash` makes re-indexing incremental. A repository name is
 * unique within its namespace.
 */
export const codeFiles = pgTable(
  'code_files',
  {
    namespace: namespaceColumn(),
    id: uuid('id').notNull().defaultRandom(),
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
    primaryKey({ name: 'code_files_pkey', columns: [t.namespace, t.id] }),
    uniqueIndex('code_files_namespace_repository_path_idx').on(t.namespace, t.repository, t.path),
    index('code_files_namespace_repository_language_idx').on(t.namespace, t.repository, t.language),
  ],
);
export type NewCodeFileRow = typeof codeFiles.$inferInsert;
