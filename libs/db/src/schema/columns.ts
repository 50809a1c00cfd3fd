import { customType } from 'drizzle-orm/pg-core';

/** Dimension of every stored embedding (TEXT and CODE models are both 768-d). */
export const EMBEDDING_DIMENSION = 768;

/** PostgreSQL full-text vector; written by SQL expressions, read only for ranking. */
export const tsvector = customType<{ data: string }>({
  dataType() {
    return 'tsvector';
  },
});
