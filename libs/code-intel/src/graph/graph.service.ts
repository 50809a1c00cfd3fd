import { sql } from 'drizzle-orm';
import { NotFoundError } from '@mnemolite/common';
import { GraphWalker, nodeColumns, queryRows, toGraphNode, type Database, type GraphScope, type RawNodeRow } from '@mnemolite/db';
import {
  GRAPH_NODE_LIMIT,
  type CodeGraphNeighbors,
  type CodeGraphNode,
  type CodeGraphPath,
  type CodeGraphStats,
  type CodeRelation,
} from '../schemas/graph.schemas';

/**
 * Queries over the code graph: nodes and edges with `repository` set (the memory graph, whose
 * `repository` is null, is never touched), each confined to the namespace given first. The walks are
 * the shared ones of `GraphWalker`, scoped to one repository.
 */
export class CodeGraphService {
  private readonly walker: GraphWalker;

  constructor(private readonly deps: { db: Database }) {
    this.walker = new GraphWalker(deps.db);
  }

  async stats(namespace: string, repository?: string): Promise<CodeGraphStats> {
    const scope = sql`namespace = ${namespace} and ${repository === undefined ? sql`repository is not null` : sql`repository = ${repository}`}`;
    const [nodeCounts, edgeCounts, [calls]] = await Promise.all([
      queryRows<{ type: string; n: string }>(
        this.deps.db,
        sql`select type, count(*) as n from nodes where ${scope} group by type order by type`,
      ),
      queryRows<{ relation: string; n: string }>(
        this.deps.db,
        sql`select relation, count(*) as n from edges where ${scope} group by relation order by relation`,
      ),
      queryRows<{ total: string | null }>(
        this.deps.db,
        sql`select sum(jsonb_array_length(properties->'calls')) as total from nodes where ${scope} and jsonb_typeof(properties->'calls') = 'array'`,
      ),
    ]);
    if (repository !== undefined && nodeCounts.length === 0) {
      const [known] = await queryRows<{ n: string }>(
        this.deps.db,
        sql`select count(*) as n from code_files where namespace = ${namespace} and repository = ${repository}`,
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
  ): Promise<CodeGraphNeighbors> {
    return this.neighbors(namespace, repository, symbol, depth, 'in', limit);
  }

  /** What `symbol` calls (up to `depth` hops along `calls`). */
  callees(
    namespace: string,
    repository: string,
    symbol: string,
    depth: number,
    limit: number = GRAPH_NODE_LIMIT.default,
  ): Promise<CodeGraphNeighbors> {
    return this.neighbors(namespace, repository, symbol, depth, 'out', limit);
  }

  /** A shortest directed path along `relation` edges; `nodes` run from `from` to `to` inclusive. */
  async path(
    namespace: string,
    repository: string,
    from: string,
    to: string,
    maxDepth: number,
    relation: CodeRelation = 'calls',
  ): Promise<CodeGraphPath> {
    const [start] = await this.findSymbol(namespace, repository, from);
    const [end] = await this.findSymbol(namespace, repository, to);
    return this.walker.shortestPath({ namespace, repository }, start.id, end.id, { direction: 'out', depth: maxDepth, relation });
  }

  /**
   * The walk from every definition named `symbol` (the roots, depth 0) along `calls` edges, with the
   * edges it stepped along; nodes listed by depth, then label. See `GraphNeighbors` for the limit.
   */
  private async neighbors(
    namespace: string,
    repository: string,
    symbol: string,
    depth: number,
    direction: 'in' | 'out',
    limit: number,
  ): Promise<CodeGraphNeighbors> {
    const scope: GraphScope = { namespace, repository };
    const roots = await this.findSymbol(namespace, repository, symbol);
    const walk = await this.walker.neighbors(
      scope,
      roots.map((root) => root.id),
      { direction, depth, relation: 'calls', limit, edges: 'steps' },
    );
    return {
      roots: roots.map((root) => ({ ...root, depth: 0 })),
      nodes: walk.nodes.sort((a, b) => a.depth - b.depth || a.label.localeCompare(b.label) || a.id.localeCompare(b.id)),
      edges: walk.edges,
      total: walk.total,
      truncated: walk.truncated,
    };
  }

  /** Definitions named `symbol`: by qualified name when one matches, else by plain name. 404 if none. */
  private async findSymbol(namespace: string, repository: string, symbol: string): Promise<CodeGraphNode[]> {
    const rows = await queryRows<RawNodeRow & { exact: boolean }>(
      this.deps.db,
      sql`select ${nodeColumns}, n.label = ${symbol} as exact from nodes n
          where n.namespace = ${namespace} and n.repository = ${repository} and n.type <> 'file' and (n.label = ${symbol} or n.properties->>'name' = ${symbol})
          order by exact desc, n.properties->>'file_path', (n.properties->>'start_line')::int`,
    );
    const exact = rows.filter((row) => row.exact);
    const chosen = exact.length > 0 ? exact : rows;
    if (chosen.length === 0) throw new NotFoundError(`No symbol "${symbol}" in repository "${repository}".`);
    return chosen.map(toGraphNode);
  }
}
