import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, vector } from 'drizzle-orm/pg-core';
import { EMBEDDING_DIMENSION, namespaceColumn, tsvector } from './columns';
import { codeFiles } from './code-files';

/**
 * Syntax-aware units of source code. `search_text` is written by the indexer from an
 * identifier-split rendering (`getUserById` -> `get user by id`), which SQL cannot derive itself.
 * Trigram indexes cover the short name columns only, never `source`.
 */
export const codeChunks = pgTable(
  'code_chunks',
  {
    namespace: namespaceColumn(),
    id: uuid('id').notNull().defaultRandom(),
    fileId: uuid('file_id').notNull(),
    repository: text('repository').notNull(),
    filePath: text('file_path').notNull(),
    language: text('language').notNull(),
    chunkType: text('chunk_type').notNull(),
    name: text('name').notNull(),
    qualifiedName: text('qualified_name').notNull(),
    signature: text('signature'),
    docstring: text('docstring'),
    startLine: integer('start_line').notNull(),
    endLine: integer('end_line').notNull(),
    source: text('source').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    embeddingText: vector('embedding_text', { dimensions: EMBEDDING_DIMENSION }),
    embeddingTextModel: text('embedding_text_model'),
    embeddingCode: vector('embedding_code', { dimensions: EMBEDDING_DIMENSION }),
    embeddingCodeModel: text('embedding_code_model'),
    searchText: tsvector('search_text'),
    indexedAt: timestamp('indexed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'code_chunks_pkey', columns: [t.namespace, t.id] }),
    foreignKey({
      name: 'code_chunks_file_fk',
      columns: [t.namespace, t.fileId],
      foreignColumns: [codeFiles.namespace, codeFiles.id],
    }).onDelete('cascade'),
    index('code_chunks_namespace_repository_path_line_idx').on(t.namespace, t.repository, t.filePath, t.startLine),
    index('code_chunks_namespace_file_id_idx').on(t.namespace, t.fileId),
    index('code_chunks_namespace_repository_type_idx').on(t.namespace, t.repository, t.chunkType),
    index('code_chunks_search_text_idx').using('gin', t.searchText),
    index('code_chunks_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('code_chunks_qualified_name_trgm_idx').using('gin', t.qualifiedName.op('gin_trgm_ops')),
    index('code_chunks_embedding_text_hnsw_idx').using('hnsw', t.embeddingText.op('vector_cosine_ops')),
    index('code_chunks_embedding_code_hnsw_idx').using('hnsw', t.embeddingCode.op('vector_cosine_ops')),
  ],
);
export type NewCodeChunkRow = typeof codeChunks.$inferInsert;
