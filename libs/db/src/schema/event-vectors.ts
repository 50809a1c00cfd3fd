import { halfvec, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { EMBEDDING_DIMENSION } from './columns';

/**
 * The vector search index of `events`: one row per event that has an embedding, in one unpartitioned
 * table with one HNSW graph, so that an unfiltered query walks one graph instead of one per monthly
 * partition. Vectors are stored as halfvec (16-bit floats): half the index and rows small enough to stay
 * in the heap page; results are re-scored with the full-precision `events.embedding`. Written only by
 * the triggers of migration 0004 on `events` (insert, update, delete, truncate: same transaction) and by
 * partition maintenance after a retention drop. Chosen by the ablation in libs/memory/SEARCH.md.
 */
export const eventVectors = pgTable(
  'event_vectors',
  {
    id: uuid('id').notNull(),
    timestamp: timestamp('timestamp', { withTimezone: true, mode: 'date' }).notNull(),
    embeddingModel: text('embedding_model'),
    embedding: halfvec('embedding', { dimensions: EMBEDDING_DIMENSION }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'event_vectors_pkey', columns: [t.id, t.timestamp] }),
    index('event_vectors_timestamp_idx').on(t.timestamp),
    index('event_vectors_embedding_hnsw_idx').using('hnsw', t.embedding.op('halfvec_cosine_ops')),
  ],
);
