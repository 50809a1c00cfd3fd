import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Graph nodes of both graphs in one table: the memory graph (`repository` null) and the code graph
 * (`repository` set, which is also the key code nodes would distribute by). Every query of either
 * graph filters on `repository`, so the two never mix.
 */
export const nodes = pgTable(
  'nodes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type').notNull(),
    label: text('label').notNull(),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    repository: text('repository'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('nodes_type_idx').on(t.type),
    index('nodes_repository_label_idx').on(t.repository, t.label),
    index('nodes_label_trgm_idx').using('gin', t.label.op('gin_trgm_ops')),
  ],
);

export type NodeRow = typeof nodes.$inferSelect;
export type NewNodeRow = typeof nodes.$inferInsert;
