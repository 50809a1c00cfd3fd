import { customType, text } from 'drizzle-orm/pg-core';

/**
 * The tenant of a row (API.md, "Namespaces and keys"): every table of stored things has it, every
 * key and every foreign key includes it, and the indexes queries filter on lead with it, so the
 * namespace is also the distribution key on Citus (README, "Beyond one machine: Citus").
 */
export const namespaceColumn = () => text('namespace').notNull().default('default');

/** Dimension of every stored embedding (TEXT and CODE models are both 768-d). */
export const EMBEDDING_DIMENSION = 768;

/** PostgreSQL full-text vector; written by SQL expressions, read only for ranking. */
export const tsvector = customType<{ data: string }>({
  dataType() {
    return 'tsvector';
  },
});
