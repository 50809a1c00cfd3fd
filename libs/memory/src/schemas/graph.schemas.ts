import { z } from 'zod';
import { jsonObjectSchema, queryInteger, storableText, uuidSchema } from './common.schemas';

export const NEIGHBOR_DEPTH = { min: 1, max: 5, default: 1 } as const;
export const PATH_MAX_DEPTH = { min: 1, max: 20, default: 10 } as const;
export const GRAPH_EXPORT_LIMIT = { min: 1, max: 2000, default: 500 } as const;
export const NEIGHBOR_LIMIT = { min: 1, max: 2000, default: 500 } as const;
export const DIRECTIONS = ['out', 'in', 'both'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const createNodeSchema = z
  .object({
    id: uuidSchema.optional().describe('Chosen by the caller, or generated.'),
    type: storableText(200),
    label: storableText(2000),
    properties: jsonObjectSchema.optional(),
  })
  .meta({ id: 'NodeCreate' });

export const createEdgeSchema = z
  .object({
    source: uuidSchema,
    target: uuidSchema,
    relation: storableText(200),
    properties: jsonObjectSchema.optional(),
  })
  .meta({ id: 'EdgeCreate' });

export const edgeSchema = z
  .object({
    id: z.guid(),
    source: z.guid(),
    target: z.guid(),
    relation: z.string(),
    properties: z.record(z.string(), z.unknown()),
    created_at: z.string(),
  })
  .meta({ id: 'Edge' });

const nodeFields = {
  id: z.guid(),
  type: z.string(),
  label: z.string(),
  properties: z.record(z.string(), z.unknown()),
  created_at: z.string(),
};

export const nodeSchema = z.object(nodeFields).meta({ id: 'Node' });

export const nodeWithEdgesSchema = z
  .object({ ...nodeFields, edges: z.array(edgeSchema).describe('Edges in both directions.') })
  .meta({ id: 'NodeWithEdges' });

export const neighborsSchema = z
  .object({
    roots: z.array(z.object({ ...nodeFields, depth: z.number().int() })).describe('The start node, at depth 0.'),
    nodes: z
      .array(z.object({ ...nodeFields, depth: z.number().int() }))
      .describe('Never includes the start node (that is in `roots`); nearest first, at most `limit`.'),
    edges: z.array(edgeSchema).describe('Edges (of the relation, if given) among `roots` and `nodes`: both ends of every edge are listed.'),
    total: z.number().int().describe('Neighbors reached; more than `nodes` holds when `truncated`.'),
    truncated: z.boolean().describe('True when `limit` cut the answer (the nearest nodes are kept).'),
  })
  .meta({ id: 'Neighbors' });

export const pathSchema = z
  .object({
    found: z.boolean(),
    nodes: z.array(nodeSchema).describe('From `from` to `to`, inclusive.'),
    edges: z.array(edgeSchema).describe('In walking order.'),
  })
  .meta({ id: 'GraphPath' });

export const cytoscapeSchema = z
  .object({
    elements: z.object({
      nodes: z.array(z.object({ data: z.object({ ...nodeFields }) })),
      edges: z.array(
        z.object({
          data: z.object({
            id: z.guid(),
            source: z.guid(),
            target: z.guid(),
            relation: z.string(),
            label: z.string(),
            properties: z.record(z.string(), z.unknown()),
            created_at: z.string(),
          }),
        }),
      ),
    }),
  })
  .meta({ id: 'CytoscapeGraph' });

export const nodeIdParamsSchema = z.object({ id: uuidSchema });

const relationFilter = storableText(200).optional().describe('Follow only edges of this relation.');

export const neighborsQuerySchema = z.object({
  depth: queryInteger(NEIGHBOR_DEPTH.min, NEIGHBOR_DEPTH.max).default(NEIGHBOR_DEPTH.default),
  direction: z.enum(DIRECTIONS).default('both').describe('Follow edges out of, into, or both ways from each node.'),
  relation: relationFilter,
  limit: queryInteger(NEIGHBOR_LIMIT.min, NEIGHBOR_LIMIT.max)
    .default(NEIGHBOR_LIMIT.default)
    .describe('Most neighbors listed; past it the nearest are kept and `truncated` is true.'),
});

export const pathQuerySchema = z.object({
  from: uuidSchema,
  to: uuidSchema,
  max_depth: queryInteger(PATH_MAX_DEPTH.min, PATH_MAX_DEPTH.max).default(PATH_MAX_DEPTH.default),
  relation: relationFilter,
  direction: z
    .enum(DIRECTIONS)
    .default('out')
    .describe('`out` (default) follows edges from source to target; `both` ignores their direction.'),
});

export const graphExportQuerySchema = z.object({
  type: storableText(200).optional().describe('Only nodes of this type.'),
  limit: queryInteger(GRAPH_EXPORT_LIMIT.min, GRAPH_EXPORT_LIMIT.max).default(GRAPH_EXPORT_LIMIT.default),
});

export type CreateNodeInput = z.infer<typeof createNodeSchema>;
export type CreateEdgeInput = z.infer<typeof createEdgeSchema>;
export type GraphNode = z.infer<typeof nodeSchema>;
export type GraphEdge = z.infer<typeof edgeSchema>;
export type NodeWithEdges = z.infer<typeof nodeWithEdgesSchema>;
export type Neighbors = z.infer<typeof neighborsSchema>;
export type GraphPath = z.infer<typeof pathSchema>;
export type CytoscapeGraph = z.infer<typeof cytoscapeSchema>;
export type NeighborsQuery = z.infer<typeof neighborsQuerySchema>;
export type PathQuery = z.infer<typeof pathQuerySchema>;
export type GraphExportQuery = z.infer<typeof graphExportQuerySchema>;
