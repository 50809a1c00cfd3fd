import { foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { namespaceColumn } from './columns';
import { nodes } from './nodes';

/**
 * Typed, directed relations between nodes of one namespace (the foreign keys include it, so an edge
 * can never link two namespaces); deleting a node deletes its edges.
 */
export const edges = pgTable(
  'edges',
  {
    namespace: namespaceColumn(),
    id: uuid('id').notNull().defaultRandom(),
    source: uuid('source').notNull(),
    target: uuid('target').notNull(),
    relation: text('relation').notNull(),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    repository: text('repository'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'edges_pkey', columns: [t.namespace, t.id] }),
    foreignKey({ name: 'edges_source_nodes_fk', columns: [t.namespace, t.source], foreignColumns: [nodes.namespace, nodes.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ name: 'edges_target_nodes_fk', columns: [t.namespace, t.target], foreignColumns: [nodes.namespace, nodes.id] }).onDelete(
      'cascade',
    ),
    index('edges_namespace_source_relation_idx').on(t.namespace, t.source, t.relation),
    index('edges_namespace_target_relation_idx').on(t.namespace, t.target, t.relation),
    index('edges_namespace_repository_relation_idx').on(t.namespace, t.repository, t.relation),
  ],
);
export type NewEdgeRow = typeof edges.$inferInsert;
