import { sql, type SQL } from 'drizzle-orm';
import { NotFoundError } from '@mnemolite/common';
import { queryRows, type Database } from '@mnemolite/db';

export interface GraphNodeView {
  id: string;
  type: string;
  label: string;
  properties: Record<string, unknown>;
  created_at: string;
  depth?: number;
}

export interface GraphEdgeView {
  id: string;
  source: string;
  target: string;
  relation: string;
  properties: Record<string, unknown>;
  created_at: string;
}

/**
 * A walk's answer. `nodes` are the nodes reached (depth 1+), `roots` the definitions the walk started
 * from (depth 0); it is closed: both ends of every edge are in `roots` or `nodes`, so it draws as it
 * is. When more than `limit` nodes are reached the nearest `limit` are kept (smallest depth first, so
 * every kept node keeps its way back to a root) and `truncated` says so; `total` counts all reached.
 */
export interface GraphNeighbourhood {
  roots: GraphNodeView[];
  nodes: GraphNodeView[];
  edges: GraphEdgeView[];
  total: number;
  truncated: boolean;
}

/** Largest walk answer by default, and the most a caller may ask for. */
export const GRAPH_NODE_LIMIT = { default: 500, max: 2000 } as const;

export interface GraphStats {
  nodes: Record<string, number>;
  edges: Record<string, number>;
  resolved_calls_ratio: number;
  calls: { total: number; resolved: number; unresolved: number };
}

interface NodeRow {
  id: string;
  type: string;
  label: string;
  properties: Record<string, unknown> | string;
  created_at: Date | string;
}

interface EdgeRow {
  id: string;
  source: string;
  target: string;
  relation: string;
  properties: Record<string, unknown> | string;
  created_at: Date | string;
}

/**
 * Queries over the code graph (nodes and edges with `repository` set; the memory graph, whose
 * `repository` is null, is never touched), each confined to the namespace given first. Traversals are recursive CTEs over `(node, depth)` with
 * `UNION`, which deduplicates rows: cycles cannot loop, and the work is bounded by nodes × depth.
 */
export class CodeGraph {
  constructor(private readonly deps: { db: Database }) {}

  async stats(namespace: string, repository?: string): Promise<GraphStats> {
    const scope = sql`namespace = ${namespace} AND ${repository === undefined ? sql`repository IS NOT NULL` : sql`repository = ${repository}`}`;
    const [nodeCounts, edgeCounts, [calls]] = await Promise.all([
      queryRows<{ type: string; n: string }>(
        this.deps.db,
        sql`SELECT type, count(*) AS n FROM nodes WHERE ${scope} GROUP BY type ORDER BY type`,
      ),
      queryRows<{ relation: string; n: string }>(
        this.deps.db,
        sql`SELECT relation, count(*) AS n FROM edges WHERE ${scope} GROUP BY relation ORDER BY relation`,
      ),
      queryRows<{ total: string | null }>(
        this.deps.db,
        sql`SELECT sum(jsonb_array_length(properties->'calls')) AS total FROM nodes WHERE ${scope} AND jsonb_typeof(properties->'calls') = 'array'`,
      ),
    ]);
    if (repository !== undefined && nodeCounts.length === 0) {
      const [known] = await queryRows<{ n: string }>(
        this.deps.db,
        sql`SELECT count(*) AS n FROM code_files WHERE namespace = ${namespace} AND repository = ${repository}`,
      );
      if (Number(known.n) === 0) throw new NotFoundError(`No indexed repository named "${repository}".`);
    }
    const edgesByRelation = Object.fromEntries(edgeCounts.map((row) => [row.relation, Number(row.n)]));
    const total = Number(calls?.total ?? 0);
    const resolved = edgesByRelation['calls'] ?? 0;
    return {
      nodes: Object.fromEntries(nodeCounts.map((row) => [row.type, Number(row.n)])),
      edges: edgesByRelation,
      resolved_calls_ratio: total === 0 ? 0 : Math.round((resolved / total) * 10_000) / 10_000,
      calls: { total, resolved, unresolved: total - resolved },
    };
  }

  /** Who calls `symbol` (up to `depth` hops back along `calls`). */
  callers(
    namespace: string,
    repository: string,
    symbol: string,
    depth: number,
    limit: number = GRAPH_NODE_LIMIT.default,
  ): Promise<GraphNeighbourhood> {
    return this.neighbourhood(namespace, repository, symbol, depth, 'in', limit);
  }

  /** What `symbol` calls (up to `depth` hops along `calls`). */
  callees(
    namespace: string,
    repository: string,
    symbol: string,
    depth: number,
    limit: number = GRAPH_NODE_LIMIT.default,
  ): Promise<GraphNeighbourhood> {
    return this.neighbourhood(namespace, repository, symbol, depth, 'out', limit);
  }

  /** A shortest directed path along `relation` edges; `nodes` run from `from` to `to` inclusive. */
  async path(
    namespace: string,
    repository: string,
    from: string,
    to: string,
    maxDepth: number,
    relation = 'calls',
  ): Promise<{ found: boolean; nodes: GraphNodeView[]; edges: GraphEdgeView[] }> {
    const [start] = await this.findSymbol(namespace, repository, from);
    const [end] = await this.findSymbol(namespace, repository, to);
    if (start.id === end.id) return { found: true, nodes: [toNodeView(start)], edges: [] };
    const forward = await this.reach(namespace, repository, [start.id], 'out', maxDepth, relation);
    const distance = forward.get(end.id);
    if (distance === undefined) return { found: false, nodes: [], edges: [] };
    const backward = await this.reach(namespace, repository, [end.id], 'in', distance, relation);
    // Nodes on some shortest path: their distances from `from` and to `to` add up to the path length.
    const onPath = [...forward.entries()]
      .filter(([id, d]) => backward.has(id) && d + (backward.get(id) ?? 0) === distance)
      .map(([id]) => id);
    const edges = await this.edgesAmong(namespace, repository, onPath, relation);
    const chainIds = [start.id];
    const chainEdges: EdgeRow[] = [];
    for (let step = 1; step <= distance; step++) {
      const current = chainIds[chainIds.length - 1];
      const next = edges.find((edge) => edge.source === current && forward.get(edge.target) === step && backward.has(edge.target));
      if (!next) return { found: false, nodes: [], edges: [] };
      chainIds.push(next.target);
      chainEdges.push(next);
    }
    const nodes = await this.nodesByIds(namespace, chainIds);
    const byId = new Map(nodes.map((node) => [node.id, node]));
    return { found: true, nodes: chainIds.map((id) => toNodeView(byId.get(id) as NodeRow)), edges: chainEdges.map(toEdgeView) };
  }

  private async neighbourhood(
    namespace: string,
    repository: string,
    symbol: string,
    depth: number,
    direction: 'in' | 'out',
    limit: number,
  ): Promise<GraphNeighbourhood> {
    const starts = await this.findSymbol(namespace, repository, symbol);
    const rootIds = new Set(starts.map((node) => node.id));
    const reached = await this.reach(namespace, repository, [...rootIds], direction, depth, 'calls');
    const found = [...reached.entries()]
      .filter(([id]) => !rootIds.has(id))
      .sort(([a, da], [b, db]) => da - db || (a < b ? -1 : a > b ? 1 : 0));
    const kept = found.slice(0, limit).map(([id]) => id);
    const [nodes, edges] = await Promise.all([
      this.nodesByIds(namespace, kept),
      this.edgesAmong(namespace, repository, [...rootIds, ...kept], 'calls'),
    ]);
    return {
      roots: starts.map((node) => ({ ...toNodeView(node), depth: 0 })),
      nodes: nodes
        .map((node) => ({ ...toNodeView(node), depth: reached.get(node.id) ?? 0 }))
        .sort((a, b) => a.depth - b.depth || a.label.localeCompare(b.label) || a.id.localeCompare(b.id)),
      edges: edges
        .filter((edge) => {
          const from = reached.get(direction === 'out' ? edge.source : edge.target);
          const to = reached.get(direction === 'out' ? edge.target : edge.source);
          return from !== undefined && to !== undefined && to === from + 1;
        })
        .map(toEdgeView),
      total: found.length,
      truncated: kept.length < found.length,
    };
  }

  /** Definitions named `symbol`: by qualified name when one matches, else by plain name. 404 if none. */
  private async findSymbol(namespace: string, repository: string, symbol: string): Promise<NodeRow[]> {
    const rows = await queryRows<NodeRow & { exact: boolean }>(
      this.deps.db,
      sql`SELECT id, type, label, properties, created_at, label = ${symbol} AS exact FROM nodes
          WHERE namespace = ${namespace} AND repository = ${repository} AND type <> 'file' AND (label = ${symbol} OR properties->>'name' = ${symbol})
          ORDER BY exact DESC, properties->>'file_path', (properties->>'start_line')::int`,
    );
    const exact = rows.filter((row) => row.exact);
    const chosen = exact.length > 0 ? exact : rows;
    if (chosen.length === 0) throw new NotFoundError(`No symbol "${symbol}" in repository "${repository}".`);
    return chosen;
  }

  /** Minimum hop count from the start nodes to every node reachable within `maxDepth`. */
  private async reach(
    namespace: string,
    repository: string,
    startIds: string[],
    direction: 'in' | 'out',
    maxDepth: number,
    relation: string,
  ): Promise<Map<string, number>> {
    const join: SQL = direction === 'out' ? sql`e.source = w.id` : sql`e.target = w.id`;
    const next: SQL = direction === 'out' ? sql`e.target` : sql`e.source`;
    const ids = sql.join(
      startIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    const rows = await queryRows<{ id: string; depth: number }>(
      this.deps.db,
      sql`WITH RECURSIVE walk(id, depth) AS (
            SELECT n.id, 0 FROM nodes n WHERE n.namespace = ${namespace} AND n.id IN (${ids})
            UNION
            SELECT ${next}, w.depth + 1 FROM walk w
            JOIN edges e ON ${join} AND e.namespace = ${namespace} AND e.relation = ${relation} AND e.repository = ${repository}
            WHERE w.depth < ${maxDepth})
          SELECT id, min(depth) AS depth FROM walk GROUP BY id`,
    );
    return new Map(rows.map((row) => [row.id, Number(row.depth)]));
  }

  private async edgesAmong(namespace: string, repository: string, ids: string[], relation: string): Promise<EdgeRow[]> {
    if (ids.length === 0) return [];
    const list = uuidArray(ids);
    return queryRows<EdgeRow>(
      this.deps.db,
      sql`SELECT id, source, target, relation, properties, created_at FROM edges
          WHERE namespace = ${namespace} AND repository = ${repository} AND relation = ${relation} AND source = ANY(${list}) AND target = ANY(${list})
          ORDER BY created_at, id`,
    );
  }

  private async nodesByIds(namespace: string, ids: string[]): Promise<NodeRow[]> {
    if (ids.length === 0) return [];
    return queryRows<NodeRow>(
      this.deps.db,
      sql`SELECT id, type, label, properties, created_at FROM nodes WHERE namespace = ${namespace} AND id = ANY(${uuidArray(ids)})`,
    );
  }
}

/** Ids as one `uuid[]` parameter: a walk can reach more nodes than a query may have parameters. */
function uuidArray(ids: string[]): SQL {
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

function parseJson(value: Record<string, unknown> | string): Record<string, unknown> {
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value;
}

function toNodeView(row: NodeRow): GraphNodeView {
  return {
    id: row.id,
    type: row.type,
    label: row.label,
    properties: parseJson(row.properties),
    created_at: new Date(row.created_at).toISOString(),
  };
}

function toEdgeView(row: EdgeRow): GraphEdgeView {
  return {
    id: row.id,
    source: row.source,
    target: row.target,
    relation: row.relation,
    properties: parseJson(row.properties),
    created_at: new Date(row.created_at).toISOString(),
  };
}
