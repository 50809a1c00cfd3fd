import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { namespaceColumn } from './columns';

/**
 * Graph nodes of both graphs in one table: the memory graph (`repository` null) and the code graph
 * (`repository` set, which is also the key code nodes would distribute by). Every query of either
 * graph filters on `repository`, so the two never mix. Ids are unique within a namespace: the same id
 * may exist in two namespaces, so a write never learns that another namespace holds an id.
 */
export const nodes = pgTable(
  'nodes',
  {
    namespace: namespaceColumn(),
    id: uuid('id').notNull().defaultRandom(),
    type: text('type').notNull(),
    label: text('label').notNull(),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    repository: text('repository'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'nodes_pkey', columns: [t.namespace, t.id] }),
    index('nodes_namespace_type_idx').on(t.namespace, t.type),
    index('nodes_namespace_repository_label_idx').on(t.namespace, t.repository, t.label),
    index('nodes_label_trgm_idx').using('gin', t.label.op('gin_trgm_ops')),
  ],
);

export type NewNodeRow = typeof nodes.$inferInsert;
