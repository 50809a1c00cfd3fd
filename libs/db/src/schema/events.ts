import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, vector } from 'drizzle-orm/pg-core';
import { EMBEDDING_DIMENSION, namespaceColumn, tsvector } from './columns';

/**
 * Atomic memories. Partitioned by month on `timestamp` (see the partitioning migration step), so the
 * primary key must include the partition key; it leads with `namespace, id`, the lookup path by id
 * (every lookup names its namespace). The GIN and HNSW indexes cannot lead with a text column: the
 * namespace is a condition beside them (see README, "Namespaces").
 */
export const events = pgTable(
  'events',
  {
    namespace: namespaceColumn(),
    id: uuid('id').notNull().defaultRandom(),
    timestamp: timestamp('timestamp', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    embedding: vector('embedding', { dimensions: EMBEDDING_DIMENSION }),
    embeddingModel: text('embedding_model'),
    /**
     * The content's words as lexemes of the configured text search configuration
     * (`search_settings.text_search_config`), set by the `events_search_text` trigger on every insert
     * and content update; read by lexical search (BM25, see libs/memory/SEARCH.md).
     */
    searchText: tsvector('search_text'),
    /**
     * BM25's document length: the tokens of `search_text` (lexemes with their repeats), kept by the same
     * trigger so ranking reads one number instead of expanding every candidate's vector.
     */
    searchLength: integer('search_length'),
  },
  (t) => [
    primaryKey({ name: 'events_pkey', columns: [t.namespace, t.id, t.timestamp] }),
    index('events_namespace_timestamp_idx').on(t.namespace, t.timestamp.desc()),
    index('events_metadata_idx').using('gin', t.metadata.op('jsonb_path_ops')),
    index('events_search_text_idx').using('gin', t.searchText),
    index('events_embedding_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops')),
  ],
);

export type NewEventRow = typeof events.$inferInsert;
