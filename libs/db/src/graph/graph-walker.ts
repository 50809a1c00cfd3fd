import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../database';
import type { DatabaseExecutor } from '../executor';
import {
  edgeColumns,
  inScope,
  nodeColumns,
  toGraphEdge,
  toGraphNode,
  uuidArray,
  type GraphEdgeView,
  type GraphNodeView,
  type GraphScope,
  type RawEdgeRow,
  type RawNodeRow,
} from './graph-rows';

export type WalkDirection = 'out' | 'in' | 'both';

/** How a walk moves: along edges (`out`), against them (`in`) or both ways, at most `depth` steps, along `relation` edges if given. */
export interface Walk {
  direction: WalkDirection;
  depth: number;
  relation?: string;
}

/**
 * The nodes around the start nodes. `nodes` never holds a start node; past `limit` the nearest are
 * kept (smallest depth, then oldest, then id), so every kept node keeps its way back to a start, and
 * `truncated` says so; `total` counts every node reached.
 */
export interface GraphNeighbors {
  nodes: (GraphNodeView & { depth: number })[];
  /**
   * `all`: every edge (of the walk's relation) among the start nodes and `nodes`. `steps`: only those
   * the walk stepped along, one step deeper in its direction.
   */
  edges: GraphEdgeView[];
  total: number;
  truncated: boolean;
}

export interface GraphPathView {
  found: boolean;
  /** From `from` to `to`, inclusive; empty when not found. */
  nodes: GraphNodeView[];
  /** In walking order, as stored (a walk against or both ways along an edge does not turn it round). */
  edges: GraphEdgeView[];
}

const NO_PATH: GraphPathView = { found: false, nodes: [], edges: [] };

/**
 * Walks over `nodes` and `edges` within one scope (a namespace and a repository's code graph, or its
 * memory graph): every query, each step of a walk included, is confined to it. Walks are recursive
 * CTEs over `(node, depth)` whose `union` drops repeated pairs and whose depth bound ends them, so
 * cycles cost at most one row per node and depth.
 */
export class GraphWalker {
  constructor(private readonly db: DatabaseExecutor) {}

  /** The smallest number of steps from the start nodes to every node within `walk.depth` (start nodes: 0). */
  async reach(scope: GraphScope, startIds: string[], walk: Walk): Promise<Map<string, number>> {
    const rows = await queryRows<{ id: string; depth: number }>(
      this.db,
      sql`with recursive ${walkCte(scope, startIds, walk)}
          select id, min(depth) as depth from walk group by id`,
    );
    return new Map(rows.map((row) => [row.id, Number(row.depth)]));
  }

  /** The nodes within `walk.depth` steps of the start nodes, nearest first, and the edges among them (see `GraphNeighbors`). */
  async neighbors(scope: GraphScope, startIds: string[], walk: Walk & { limit: number; edges: 'all' | 'steps' }): Promise<GraphNeighbors> {
    const starts = uuidArray(startIds);
    const rows = await queryRows<RawNodeRow & { depth: number; total: number }>(
      this.db,
      sql`with recursive ${walkCte(scope, startIds, walk)},
          reached as (select id, min(depth) as depth from walk where id <> all(${starts}) group by id)
          select ${nodeColumns}, r.depth::int as depth, (count(*) over ())::int as total
            from reached r join nodes n on ${inScope('n', scope)} and n.id = r.id
           order by r.depth, n.created_at, n.id
           limit ${walk.limit}`,
    );
    const nodes = rows.map((row) => ({ ...toGraphNode(row), depth: Number(row.depth) }));
    const depths = new Map<string, number>(startIds.map((id) => [id, 0]));
    for (const node of nodes) depths.set(node.id, node.depth);
    const edges = await this.edgesAmong(scope, [...depths.keys()], walk.relation);
    const total = Number(rows[0]?.total ?? 0);
    return {
      nodes,
      edges: walk.edges === 'all' ? edges : edges.filter((edge) => isStep(edge, depths, walk.direction)),
      total,
      truncated: nodes.length < total,
    };
  }

  /**
   * A shortest path (fewest edges, at most `walk.depth`) from `from` to `to`: the distances from `from`
   * forwards and to `to` backwards mark the nodes on shortest paths; among them, each step takes the
   * oldest edge (then the smallest id), so the same graph always gives the same path.
   */
  async shortestPath(scope: GraphScope, from: string, to: string, walk: Walk): Promise<GraphPathView> {
    if (from === to) {
      const [node] = await this.nodes(scope, [from]);
      return node ? { found: true, nodes: [node], edges: [] } : NO_PATH;
    }
    const forward = await this.reach(scope, [from], walk);
    const distance = forward.get(to);
    if (distance === undefined) return NO_PATH;
    const backward = await this.reach(scope, [to], { ...walk, direction: REVERSE[walk.direction], depth: distance });
    // Nodes on some shortest path: their distances from `from` and to `to` add up to the path length.
    const onPath = [...forward.entries()].filter(([id, d]) => d + (backward.get(id) ?? Infinity) === distance).map(([id]) => id);
    const edges = await this.edgesAmong(scope, onPath, walk.relation);
    const chainIds = [from];
    const chainEdges: GraphEdgeView[] = [];
    for (let step = 1; step <= distance; step++) {
      const current = chainIds[chainIds.length - 1];
      const next = edges.find((edge) => {
        const reached = stepTarget(edge, current, walk.direction);
        return reached !== undefined && forward.get(reached) === step && backward.has(reached);
      });
      if (!next) return NO_PATH;
      chainIds.push(stepTarget(next, current, walk.direction) as string);
      chainEdges.push(next);
    }
    const byId = new Map((await this.nodes(scope, chainIds)).map((node) => [node.id, node]));
    return { found: true, nodes: chainIds.map((id) => byId.get(id) as GraphNodeView), edges: chainEdges };
  }

  /** The nodes of the scope with these ids, in no particular order. */
  async nodes(scope: GraphScope, ids: string[]): Promise<GraphNodeView[]> {
    if (ids.length === 0) return [];
    const rows = await queryRows<RawNodeRow>(
      this.db,
      sql`select ${nodeColumns} from nodes n where ${inScope('n', scope)} and n.id = any(${uuidArray(ids)})`,
    );
    return rows.map(toGraphNode);
  }

  /** The edges (of `relation`, if given) whose both ends are among `ids`, oldest first. */
  async edgesAmong(scope: GraphScope, ids: string[], relation?: string): Promise<GraphEdgeView[]> {
    if (ids.length === 0) return [];
    const members = uuidArray(ids);
    const rows = await queryRows<RawEdgeRow>(
      this.db,
      sql`select ${edgeColumns} from edges e
           where ${inScope('e', scope)} and e.source = any(${members}) and e.target = any(${members}) ${relationCondition(relation)}
           order by e.created_at, e.id`,
    );
    return rows.map(toGraphEdge);
  }
}

const REVERSE: Record<WalkDirection, WalkDirection> = { out: 'in', in: 'out', both: 'both' };

/** `walk(id, depth)`: every node within `walk.depth` steps of the start nodes, at every depth it is reached. */
function walkCte(scope: GraphScope, startIds: string[], walk: Walk): SQL {
  const { follows, next } = stepOf(walk.direction);
  return sql`walk(id, depth) as (
      select n.id, 0 from nodes n where ${inScope('n', scope)} and n.id = any(${uuidArray(startIds)})
      union
      select ${next}, w.depth + 1
        from walk w join edges e on ${follows}
       where w.depth < ${walk.depth} and ${inScope('e', scope)} ${relationCondition(walk.relation)}
    )`;
}

/**
 * How a walk steps from node `w.id` along edge `e`: the join condition and the node reached. Fixed
 * fragments per direction, never built from input.
 */
function stepOf(direction: WalkDirection): { follows: SQL; next: SQL } {
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

function relationCondition(relation: string | undefined): SQL {
  return relation === undefined ? sql`` : sql`and e.relation = ${relation}`;
}

/** The node a walk in `direction` reaches from `current` along `edge`, if the edge leads on from it. */
function stepTarget(edge: GraphEdgeView, current: string, direction: WalkDirection): string | undefined {
  if (direction !== 'in' && edge.source === current) return edge.target;
  if (direction !== 'out' && edge.target === current) return edge.source;
  return undefined;
}

/** Whether the walk stepped along `edge`: its far end lies one step deeper than its near end. */
function isStep(edge: GraphEdgeView, depths: Map<string, number>, direction: WalkDirection): boolean {
  const source = depths.get(edge.source);
  const target = depths.get(edge.target);
  if (source === undefined || target === undefined) return false;
  if (direction === 'out') return target === source + 1;
  if (direction === 'in') return source === target + 1;
  return Math.abs(source - target) === 1;
}
