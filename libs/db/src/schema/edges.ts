import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { nodes } from './nodes';

/** Typed, directed relations between nodes; deleting a node deletes its edges. */
export const edges = pgTable(
  'edges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: uuid('source')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    target: uuid('target')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    relation: text('relation').notNull(),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    repository: text('repository'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('edges_source_relation_idx').on(t.source, t.relation),
    index('edges_target_relation_idx').on(t.target, t.relation),
    index('edges_repository_relation_idx').on(t.repository, t.relation),
  ],
);

export type EdgeRow = typeof edges.$inferSelect;
export type NewEdgeRow = typeof edges.$inferInsert;
