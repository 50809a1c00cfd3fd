import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { ConflictError, NotFoundError } from '@mnemolite/common';
import {
  GraphWalker,
  edgeColumns,
  nodeColumns,
  queryRows,
  toGraphEdge,
  toGraphNode,
  uuidArray,
  type Database,
  type GraphScope,
  type RawEdgeRow,
  type RawNodeRow,
} from '@mnemolite/db';
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

/**
 * The memory graph: nodes and typed, directed edges with `repository` NULL. The code graph shares the
 * tables with `repository` set; every query here filters `repository is null`, so the two never mix.
 * Every method takes the namespace first and every query (walk steps included) is confined to it: a
 * node of another namespace is not found, and an edge cannot reach one.
 * Traversals are the shared walks of `GraphWalker`, bounded by depth, so cycles terminate.
 */
export class GraphService {
  private readonly walker: GraphWalker;

  constructor(private readonly deps: { db: Database }) {
    this.walker = new GraphWalker(deps.db);
  }

  async createNode(namespace: string, input: CreateNodeInput): Promise<GraphNode> {
    const id = input.id ?? randomUUID();
    const [row] = await queryRows<RawNodeRow>(
      this.deps.db,
      sql`insert into nodes as n (namespace, id, type, label, properties)
          values (${namespace}, ${id}::uuid, ${input.type}, ${input.label}, ${JSON.stringify(input.properties ?? {})}::jsonb)
          on conflict (namespace, id) do nothing
          returning ${nodeColumns}`,
    );
    if (!row) throw new ConflictError(`A node with id ${id} already exists.`);
    return toGraphNode(row);
  }

  /**
   * Both ends must be memory-graph nodes of the namespace (404 naming the field otherwise: a node of
   * another namespace is unknown here); checked in the INSERT itself, race-free, and by the foreign
   * keys, which include the namespace.
   */
  async createEdge(namespace: string, input: CreateEdgeInput): Promise<GraphEdge> {
    const [row] = await queryRows<RawEdgeRow>(
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
    return toGraphEdge(row);
  }

  async getNode(namespace: string, id: string): Promise<NodeWithEdges> {
    const node = await this.findNode(namespace, id);
    const edges = await queryRows<RawEdgeRow>(
      this.deps.db,
      sql`select ${edgeColumns} from edges e
           where e.namespace = ${namespace} and (e.source = ${id}::uuid or e.target = ${id}::uuid) and e.repository is null
           order by e.created_at, e.id`,
    );
    return { ...node, edges: edges.map(toGraphEdge) };
  }

  /**
   * Nodes within `depth` steps, each with the smallest depth it was reached at, and every edge (of the
   * relation, if given) among them and the start node. The contract keeps the start node out of
   * `nodes`, so it comes in `roots` (depth 0, as in the code graph): both ends of every edge are in
   * `roots` or `nodes`, and the answer draws as it is. Past `limit` nodes the nearest are kept.
   */
  async neighbors(namespace: string, id: string, query: NeighborsQuery): Promise<Neighbors> {
    const start = await this.findNode(namespace, id);
    const walk = await this.walker.neighbors(memoryGraph(namespace), [id], {
      direction: query.direction,
      depth: query.depth,
      relation: query.relation,
      limit: query.limit,
      edges: 'all',
    });
    return { roots: [{ ...start, depth: 0 }], ...walk };
  }

  /** A shortest path (fewest edges) from `from` to `to`, at most `max_depth` long; 404 naming the unknown ends. */
  async path(namespace: string, query: PathQuery): Promise<GraphPath> {
    const missing = await this.missingNodes(namespace, [query.from, query.to]);
    if (missing.length > 0) {
      const fields = (['from', 'to'] as const).filter((field) => missing.includes(query[field]));
      throw new NotFoundError(`Unknown node${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`, { missing, fields });
    }
    return this.walker.shortestPath(memoryGraph(namespace), query.from, query.to, {
      direction: query.direction,
      depth: query.max_depth,
      relation: query.relation,
    });
  }

  /** The newest `limit` nodes (of a type, if given) and the edges between them, as Cytoscape.js elements. */
  async exportCytoscape(namespace: string, query: GraphExportQuery): Promise<CytoscapeGraph> {
    const nodes = await queryRows<RawNodeRow>(
      this.deps.db,
      sql`select ${nodeColumns} from nodes n where n.namespace = ${namespace} and n.repository is null ${typeCondition(query.type)}
           order by n.created_at desc, n.id limit ${query.limit}`,
    );
    const edges = await this.walker.edgesAmong(
      memoryGraph(namespace),
      nodes.map((node) => node.id),
    );
    return {
      elements: {
        nodes: nodes.map((node) => ({ data: toGraphNode(node) })),
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
    const [node] = await this.walker.nodes(memoryGraph(namespace), [id]);
    if (!node) throw nodeNotFound(id);
    return node;
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
}

function memoryGraph(namespace: string): GraphScope {
  return { namespace, repository: null };
}

function typeCondition(type: string | undefined): SQL {
  return type === undefined ? sql`` : sql`and n.type = ${type}`;
}

function nodeNotFound(id: string): NotFoundError {
  return new NotFoundError(`No graph node with id ${id}.`);
}
