import { bigint, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';
import { namespaceColumn } from './columns';

/**
 * Database-wide search settings, one row per key. `text_search_config` names the PostgreSQL text
 * search configuration (`english`, `simple`, ...) that `events.search_text` is written with and that
 * queries are analysed with: both sides read it here, so they can never disagree.
 */
export const searchSettings = pgTable('search_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Document frequency of each lexeme of `events.search_text` (the number of events containing it), for
 * BM25's inverse document frequency. Kept by statement triggers on `events`; split into a few shards
 * (by backend) so that concurrent writers rarely wait on the row of a common word. df = sum over shards.
 * Counted per namespace: one namespace's events never change another's df, N or average length.
 */
export const lexemeStats = pgTable(
  'lexeme_stats',
  {
    namespace: namespaceColumn(),
    lexeme: text('lexeme').notNull(),
    shard: smallint('shard').notNull(),
    df: bigint('df', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'lexeme_stats_pkey', columns: [t.namespace, t.lexeme, t.shard] })],
);

/**
 * Event count and token count (sum of document lengths) per namespace and shard, for BM25's N and
 * average length.
 */
export const corpusStats = pgTable(
  'corpus_stats',
  {
    namespace: namespaceColumn(),
    shard: smallint('shard').notNull(),
    docs: bigint('docs', { mode: 'number' }).notNull(),
    tokens: bigint('tokens', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'corpus_stats_pkey', columns: [t.namespace, t.shard] })],
);
