import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '@mnemolite/common';
import { DIRECTIONS, NEIGHBOR_DEPTH, PATH_MAX_DEPTH, storableText, uuidSchema, type GraphNode } from '@mnemolite/memory';
import { z } from 'zod';
import type { MnemoBackend } from '../backend/backend';
import { jsonObjectArg } from './json-object';
import { count, ok, runTool } from './tool-result';

const nodeId = (what: string) =>
  uuidSchema.describe(`${what}: a node id (UUID). Every memory is also a node of type "event" with the memory's id.`);
const relation = storableText(200);

function nodeLine(node: GraphNode & { depth?: number }): string {
  return `${node.id} [${node.type}] ${node.label}${node.depth === undefined ? '' : ` (depth ${node.depth})`}`;
}

/** Memory-graph tools: create a node, link two nodes, neighbors, shortest path. */
export function registerGraphTools(server: McpServer, backend: MnemoBackend, logger?: Logger): void {
  server.registerTool(
    'graph_create_node',
    {
      title: 'Create a graph node',
      description:
        'Create a node in the memory graph (a person, project, concept, ...). Memories already have nodes of their own ' +
        '(type "event", same id as the memory), so link to those rather than creating copies.',
      inputSchema: {
        type: storableText(200).describe('Kind of thing, e.g. "person", "project", "concept".'),
        label: storableText(2000).describe('Its name or a short description.'),
        properties: jsonObjectArg.optional().describe('Optional JSON object of attributes.'),
        id: uuidSchema.optional().describe('Optional id (UUID) to use; generated when absent.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      runTool('graph_create_node', logger, async () => {
        const node = await backend.createNode(args);
        return ok({ node }, `Created node ${nodeLine(node)}.`);
      }),
  );

  server.registerTool(
    'graph_link',
    {
      title: 'Link two graph nodes',
      description:
        'Create a directed, typed edge source -> target between two existing nodes (or memories), e.g. relation "mentions", "caused_by", "part_of".',
      inputSchema: {
        source: nodeId('Where the edge starts'),
        target: nodeId('Where the edge ends'),
        relation: relation.describe('The edge type, e.g. "mentions".'),
        properties: jsonObjectArg.optional().describe('Optional JSON object of attributes.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      runTool('graph_link', logger, async () => {
        const edge = await backend.createEdge(args);
        return ok({ edge }, `Linked ${edge.source} -[${edge.relation}]-> ${edge.target} (edge ${edge.id}).`);
      }),
  );

  server.registerTool(
    'graph_neighbors',
    {
      title: 'Explore around a node',
      description: `Nodes within 1..${NEIGHBOR_DEPTH.max} steps of a node (never the node itself), each at its smallest depth, with the edges between them.`,
      inputSchema: {
        id: nodeId('The start node'),
        depth: z
          .number()
          .int()
          .min(NEIGHBOR_DEPTH.min)
          .max(NEIGHBOR_DEPTH.max)
          .optional()
          .describe(`Steps to walk (1..${NEIGHBOR_DEPTH.max}, default 1).`),
        direction: z.enum(DIRECTIONS).optional().describe('"out" (edges from the node), "in" (edges to it) or "both" (default).'),
        relation: relation.optional().describe('Follow only edges of this relation.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('graph_neighbors', logger, async () => {
        const { id, ...query } = args;
        const result = await backend.neighbors(id, query);
        const lines = result.nodes.map((node) => `- ${nodeLine(node)}`);
        return ok(
          { ...result },
          `${count(result.nodes.length, 'neighbor')}, ${count(result.edges.length, 'edge')}${lines.length ? `:\n${lines.join('\n')}` : '.'}`,
        );
      }),
  );

  server.registerTool(
    'graph_shortest_path',
    {
      title: 'Shortest path between two nodes',
      description:
        'A path with the fewest edges from one node to another, following edge direction (or ignoring it with direction ' +
        '"both"). found is false when none exists within max_depth.',
      inputSchema: {
        from: nodeId('The start node'),
        to: nodeId('The end node'),
        max_depth: z
          .number()
          .int()
          .min(PATH_MAX_DEPTH.min)
          .max(PATH_MAX_DEPTH.max)
          .optional()
          .describe(`Longest path to consider (1..${PATH_MAX_DEPTH.max}, default ${PATH_MAX_DEPTH.default}).`),
        relation: relation.optional().describe('Follow only edges of this relation.'),
        direction: z.enum(DIRECTIONS).optional().describe('"out" (default) follows edges source -> target; "both" ignores direction.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('graph_shortest_path', logger, async () => {
        const path = await backend.path(args);
        const text = path.found
          ? `Path of ${count(path.edges.length, 'edge')}: ${path.nodes.map((node) => `${node.label} (${node.id})`).join(' -> ')}`
          : `No path from ${args.from} to ${args.to} within ${args.max_depth ?? PATH_MAX_DEPTH.default} edges.`;
        return ok({ ...path }, text);
      }),
  );
}
