import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { ConflictError, NotFoundError } from '@mnemolite/common';
import { queryRows, type Database } from '@mnemolite/db';
import type {
  CreateEdgeInput,
  CreateNodeInput,
  CytoscapeGraph,
  GraphEdge,
  GraphExportQuery,
  GraphNode,
  GraphPath,
  Neighbors,
  NeighborsQuery,
  NodeWithEdges,
  PathQuery,
} from '../schemas/graph.schemas';
import { edgeColumns, nodeColumns, relationCondition, stepOf, toEdge, toNode, uuidArray } from './graph-rows';

/**
 * The memory graph: nodes and typed, directed edges with `repository` NULL. The code graph shares the
 * tables with `repository` set; every query here filters `repository is null`, so the two never mix.
 * Every method takes the namespace first and every query (walk steps included) is confined to it: a
 * node of another namespace is not found, and an edge cannot reach one.
 * Traversals are recursive CTEs bounded by depth, so cycles terminate.
 */
export class GraphService {
  constructor(private readonly deps: { db: Database }) {}

  async createNode(namespace: string, input: CreateNodeInput): Promise<GraphNode> {
    const id = input.id ?? randomUUID();
    const [row] = await queryRows<GraphNode>(
      this.deps.db,
      sql`insert into nodes as n (namespace, id, type, label, properties)
          values (${namespace}, ${id}::uuid, ${input.type}, ${input.label}, ${JSON.stringify(input.properties ?? {})}::jsonb)
          on conflict (namespace, id) do nothing
          returning ${nodeColumns}`,
    );
    if (!row) throw new ConflictError(`A node with id ${id} already exists.`);
    return toNode(row);
  }

  /**
   * Both ends must be memory-graph nodes of the namespace (404 naming the field otherwise: a node of
   * another namespace is unknown here); checked in the INSERT itself, race-free, and by the foreign
   * keys, which include the namespace.
   */
  async createEdge(namespace: string, input: CreateEdgeInput): Promise<GraphEdge> {
    const [row] = await queryRows<GraphEdge>(
      this.deps.db,
      sql`insert into edges as e (namespace, source, target, relation, properties)
          select ${namespace}, ${input.source}::uuid, ${input.target}::uuid, ${input.relation}, ${JSON.stringify(input.properties ?? {})}::jsonb
           where (select count(*) from nodes
                   where namespace = ${namespace} and id in (${input.source}::uuid, ${input.target}::uuid) and repository is null)
                 = case when ${input.source}::uuid = ${input.target}::uuid then 1 else 2 end
          returning ${edgeColumns}`,
    );
    if (!row) {
      const missing = await this.missingNodes(namespace, [input.source, input.target]);
      const fields = (['source', 'target'] as const).filter((field) => missing.includes(input[field]));
      throw new NotFoundError(`Unknown ${fields.join(' and ')} node${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`, {
        missing,
        fields,
      });
    }
    return toEdge(row);
  }

  async getNode(namespace: string, id: string): Promise<NodeWithEdges> {
    const node = await this.findNode(namespace, id);
    const edges = await queryRows<GraphEdge>(
      this.deps.db,
      sql`select ${edgeColumns} from edges e
           where e.namespace = ${namespace} and (e.source = ${id}::uuid or e.target = ${id}::uuid) and e.repository is null
           order by e.created_at, e.id`,
    );
    return { ...node, edges: edges.map(toEdge) };
  }

  /**
   * Nodes within `depth` steps, each with the smallest depth it was reached at, and the edges among
   * them and the start node. The contract keeps the start node out of `nodes`, so it comes in
   * `roots` (depth 0, as in the code graph): both ends of every edge are in `roots` or `nodes`, and the
   * answer draws as it is.
   * The walk's UNION removes repeated (node, depth) pairs, and the depth bound ends it, so cycles cost
   * at most one row per node and depth. Past `limit` nodes the nearest are kept (smallest depth
   * first, so each kept node keeps its way back to the start) and `truncated` says so.
   */
  async neighbors(namespace: string, id: string, query: NeighborsQuery): Promise<Neighbors> {
    const start = await this.findNode(namespace, id);
    const { follows, next } = stepOf(query.direction);
    const nodes = await queryRows<GraphNode & { depth: number; total: number }>(
      this.deps.db,
      sql`with recursive walk(id, depth) as (
            select ${id}::uuid, 0
            union
            select ${next}, w.depth + 1
              from walk w join edges e on ${follows}
             where w.depth < ${query.depth} and e.namespace = ${namespace} and e.repository is null ${relationCondition(query.relation)}
          ), reached as (
            select id, min(depth) as depth from walk where id <> ${id}::uuid group by id
          )
          select ${nodeColumns}, r.depth::int as depth, (count(*) over ())::int as total
            from reached r join nodes n on n.namespace = ${namespace} and n.id = r.id and n.repository is null
           order by r.depth, n.created_at, n.id
           limit ${query.limit}`,
    );
    const edges = await this.edgesWithin(namespace, [id, ...nodes.map((node) => node.id)], query.relation);
    const total = nodes[0]?.total ?? 0;
    return {
      roots: [{ ...start, depth: 0 }],
      nodes: nodes.map((node) => ({ ...toNode(node), depth: node.depth })),
      edges,
      total,
      truncated: nodes.length < total,
    };
  }

  /**
   * A shortest path (fewest edges) from `from` to `to`, breadth first: the walk records, for each
   * node and depth, the node and edge it came from; the path is then read backwards from the first
   * depth that reached `to`. Walks stop at `to` and at `max_depth`.
   */
  async path(namespace: string, query: PathQuery): Promise<GraphPath> {
    const missing = await this.missingNodes(namespace, [query.from, query.to]);
    if (missing.length > 0) {
      const fields = (['from', 'to'] as const).filter((field) => missing.includes(query[field]));
      throw new NotFoundError(`Unknown node${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`, { missing, fields });
    }
    const { follows, next } = stepOf(query.direction);
    const steps = await queryRows<{ id: string; edge_id: string | null }>(
      this.deps.db,
      sql`with recursive walk(id, depth, prev, edge_id) as (
            select ${query.from}::uuid, 0, null::uuid, null::uuid
            union
            select ${next}, w.depth + 1, w.id, e.id
              from walk w join edges e on ${follows}
             where w.depth < ${query.max_depth} and w.id <> ${query.to}::uuid
               and e.namespace = ${namespace} and e.repository is null ${relationCondition(query.relation)}
          ), back(id, depth, prev, edge_id) as (
            (select w.id, w.depth, w.prev, w.edge_id from walk w
              where w.id = ${query.to}::uuid order by w.depth limit 1)
            union all
            select p.id, p.depth, p.prev, p.edge_id
              from back b cross join lateral (
                select w.id, w.depth, w.prev, w.edge_id from walk w
                 where w.id = b.prev and w.depth = b.depth - 1 limit 1
              ) p
          )
          select id, edge_id from back order by depth`,
    );
    if (steps.length === 0) return { found: false, nodes: [], edges: [] };
    const nodeIds = steps.map((step) => step.id);
    const edgeIds = steps.flatMap((step) => (step.edge_id === null ? [] : [step.edge_id]));
    const [nodes, edges] = await Promise.all([
      queryRows<GraphNode>(
        this.deps.db,
        sql`select ${nodeColumns} from nodes n where n.namespace = ${namespace} and n.id = any(${uuidArray(nodeIds)})`,
      ),
      edgeIds.length === 0
        ? Promise.resolve([])
        : queryRows<GraphEdge>(
            this.deps.db,
            sql`select ${edgeColumns} from edges e where e.namespace = ${namespace} and e.id = any(${uuidArray(edgeIds)})`,
          ),
    ]);
    const nodeById = new Map(nodes.map((node) => [node.id, toNode(node)]));
    const edgeById = new Map(edges.map((edge) => [edge.id, toEdge(edge)]));
    return {
      found: true,
      nodes: nodeIds.map((nodeId) => nodeById.get(nodeId) as GraphNode),
      edges: edgeIds.map((edgeId) => edgeById.get(edgeId) as GraphEdge),
    };
  }

  /** The newest `limit` nodes (of a type, if given) and the edges between them, as Cytoscape.js elements. */
  async exportCytoscape(namespace: string, query: GraphExportQuery): Promise<CytoscapeGraph> {
    const nodes = await queryRows<GraphNode>(
      this.deps.db,
      sql`select ${nodeColumns} from nodes n where n.namespace = ${namespace} and n.repository is null ${typeCondition(query.type)}
           order by n.created_at desc, n.id limit ${query.limit}`,
    );
    const edges = await this.edgesWithin(
      namespace,
      nodes.map((node) => node.id),
    );
    return {
      elements: {
        nodes: nodes.map((node) => ({ data: toNode(node) })),
        edges: edges.map((edge) => ({ data: { ...edge, label: edge.relation } })),
      },
    };
  }

  /** How many memory-graph nodes there are (of a type, if given): the M of "showing N of M". */
  async countNodes(namespace: string, type?: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      this.deps.db,
      sql`select count(*)::int as n from nodes n where n.namespace = ${namespace} and n.repository is null ${typeCondition(type)}`,
    );
    return Number(row.n);
  }

  /** Deletes a node; its edges go with it (foreign-key cascade). */
  async deleteNode(namespace: string, id: string): Promise<void> {
    const rows = await queryRows(
      this.deps.db,
      sql`delete from nodes where namespace = ${namespace} and id = ${id}::uuid and repository is null returning id`,
    );
    if (rows.length === 0) throw nodeNotFound(id);
  }

  private async findNode(namespace: string, id: string): Promise<GraphNode> {
    const [row] = await queryRows<GraphNode>(
      this.deps.db,
      sql`select ${nodeColumns} from nodes n where n.namespace = ${namespace} and n.id = ${id}::uuid and n.repository is null`,
    );
    if (!row) throw nodeNotFound(id);
    return toNode(row);
  }

  private async missingNodes(namespace: string, ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = await queryRows<{ id: string }>(
      this.deps.db,
      sql`select id from nodes where namespace = ${namespace} and id = any(${uuidArray(unique)}) and repository is null`,
    );
    const present = new Set(found.map((row) => row.id));
    return unique.filter((id) => !present.has(id));
  }

  private async edgesWithin(namespace: string, ids: string[], relation?: string): Promise<GraphEdge[]> {
    if (ids.length === 0) return [];
    const members = uuidArray(ids);
    const rows = await queryRows<GraphEdge>(
      this.deps.db,
      sql`select ${edgeColumns} from edges e
           where e.namespace = ${namespace} and e.source = any(${members}) and e.target = any(${members}) and e.repository is null
                 ${relationCondition(relation)}
           order by e.created_at, e.id`,
    );
    return rows.map(toEdge);
  }
}

function typeCondition(type: string | undefined): SQL {
  return type === undefined ? sql`` : sql`and n.type = ${type}`;
}

function nodeNotFound(id: string): NotFoundError {
  return new NotFoundError(`No graph node with id ${id}.`);
}
