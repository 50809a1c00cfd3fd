import { sql, type SQL } from 'drizzle-orm';
import { isoTimestamp } from '../events/event-row';
import type { Direction, GraphEdge, GraphNode } from '../schemas/graph.schemas';

/** The columns of a node object, read from `nodes` aliased `n`. */
export const nodeColumns = sql`n.id, n.type, n.label, n.properties, ${isoTimestamp(sql`n.created_at`)} as created_at`;

/** The columns of an edge object, read from `edges` aliased `e`. */
export const edgeColumns = sql`e.id, e.source, e.target, e.relation, e.properties, ${isoTimestamp(sql`e.created_at`)} as created_at`;

export function toNode(row: GraphNode): GraphNode {
  return { id: row.id, type: row.type, label: row.label, properties: row.properties, created_at: row.created_at };
}

export function toEdge(row: GraphEdge): GraphEdge {
  return {
    id: row.id,
    source: row.source,
    target: row.target,
    relation: row.relation,
    properties: row.properties,
    created_at: row.created_at,
  };
}

/**
 * How a walk steps from node `w.id` along edge `e`: the join condition and the node reached. Fixed
 * fragments per direction, never built from input.
 */
export function stepOf(direction: Direction): { follows: SQL; next: SQL } {
  switch (direction) {
    case 'out':
      return { follows: sql`e.source = w.id`, next: sql`e.target` };
    case 'in':
      return { follows: sql`e.target = w.id`, next: sql`e.source` };
    case 'both':
      return {
        follows: sql`(e.source = w.id or e.target = w.id)`,
        next: sql`case when e.source = w.id then e.target else e.source end`,
      };
  }
}

/** Ids as one PostgreSQL array parameter (`uuid[]`), however many there are. */
export function uuidArray(ids: string[]): SQL {
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

export function relationCondition(relation: string | undefined): SQL {
  return relation === undefined ? sql`` : sql`and e.relation = ${relation}`;
}
