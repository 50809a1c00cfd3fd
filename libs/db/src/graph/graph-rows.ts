import { sql, type SQL } from 'drizzle-orm';

/**
 * Which graph a query reads. `nodes` and `edges` hold two kinds of graph: a repository's code graph
 * (`repository` set) and the memory graph (`repository` null). Every query filters on the namespace
 * and on the repository, so two namespaces, and the two kinds, never mix.
 */
export interface GraphScope {
  namespace: string;
  /** The repository of a code graph, or null for the memory graph. */
  repository: string | null;
}

/** A node as the API answers it. */
export interface GraphNodeView {
  id: string;
  type: string;
  label: string;
  properties: Record<string, unknown>;
  /** ISO-8601 UTC with milliseconds. */
  created_at: string;
}

/** An edge as the API answers it. */
export interface GraphEdgeView {
  id: string;
  source: string;
  target: string;
  relation: string;
  properties: Record<string, unknown>;
  /** ISO-8601 UTC with milliseconds. */
  created_at: string;
}

/** The columns of a node, read from `nodes` aliased `n`; `toGraphNode` turns the row into a view. */
export const nodeColumns = sql`n.id, n.type, n.label, n.properties, n.created_at`;

/** The columns of an edge, read from `edges` aliased `e`; `toGraphEdge` turns the row into a view. */
export const edgeColumns = sql`e.id, e.source, e.target, e.relation, e.properties, e.created_at`;

/** A row as the drivers return it: JSON parsed or as text, timestamps as text or as a `Date`. */
type Raw<T> = Omit<T, 'properties' | 'created_at'> & { properties: Record<string, unknown> | string; created_at: Date | string };

export type RawNodeRow = Raw<GraphNodeView>;
export type RawEdgeRow = Raw<GraphEdgeView>;

export function toGraphNode(row: RawNodeRow): GraphNodeView {
  return { id: row.id, type: row.type, label: row.label, properties: parseJson(row.properties), created_at: isoTime(row.created_at) };
}

export function toGraphEdge(row: RawEdgeRow): GraphEdgeView {
  return {
    id: row.id,
    source: row.source,
    target: row.target,
    relation: row.relation,
    properties: parseJson(row.properties),
    created_at: isoTime(row.created_at),
  };
}

/** `<alias>.namespace = … and <alias>.repository …`: the scope as a condition on `nodes` or `edges`. */
export function inScope(alias: 'n' | 'e', scope: GraphScope): SQL {
  const table = sql.raw(alias);
  const repository = scope.repository === null ? sql`${table}.repository is null` : sql`${table}.repository = ${scope.repository}`;
  return sql`${table}.namespace = ${scope.namespace} and ${repository}`;
}

/** Ids as one `uuid[]` parameter: a walk can reach more nodes than a query may have parameters. */
export function uuidArray(ids: string[]): SQL {
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

function parseJson(value: Record<string, unknown> | string): Record<string, unknown> {
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value;
}

/** Milliseconds, truncated: both drivers give a timestamp with microseconds, and `Date` keeps milliseconds. */
function isoTime(value: Date | string): string {
  return new Date(value).toISOString();
}
