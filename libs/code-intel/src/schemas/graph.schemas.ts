import { z } from 'zod';
import { intParam, nameText, repositoryName } from './common.schemas';

/** Largest walk answer by default, and the most a caller may ask for. */
export const GRAPH_NODE_LIMIT = { default: 500, max: 2000 } as const;

/** Relations a path may follow. */
export const CODE_RELATIONS = ['calls', 'imports', 'contains'] as const;

export const codeGraphStatsQuerySchema = z.object({ repository: repositoryName.optional() });

export const codeGraphStatsSchema = z
  .object({
    nodes: z.record(z.string(), z.number().int()).describe('Node counts by type.'),
    edges: z.record(z.string(), z.number().int()).describe('Edge counts by relation.'),
    resolved_calls_ratio: z.number().min(0).max(1),
    calls: z.object({ total: z.number().int(), resolved: z.number().int(), unresolved: z.number().int() }),
  })
  .meta({ id: 'CodeGraphStats' });

export const codeGraphNeighborsQuerySchema = z.object({
  repository: repositoryName,
  symbol: nameText(500).describe('Qualified (`Class.method`) or plain name.'),
  depth: intParam(1, 10, 1),
  limit: intParam(1, GRAPH_NODE_LIMIT.max, GRAPH_NODE_LIMIT.default).describe(
    'Most nodes listed (besides `roots`); past it the nearest are kept and `truncated` is true.',
  ),
});

export const codeGraphPathQuerySchema = z.object({
  repository: repositoryName,
  from: nameText(500),
  to: nameText(500),
  max_depth: intParam(1, 20, 10),
  relation: z.enum(CODE_RELATIONS).optional().default('calls'),
});

export const codeGraphNodeSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    label: z.string(),
    properties: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    depth: z.number().int().optional(),
  })
  .meta({ id: 'CodeGraphNode' });

export const codeGraphEdgeSchema = z
  .object({
    id: z.uuid(),
    source: z.uuid(),
    target: z.uuid(),
    relation: z.string(),
    properties: z.record(z.string(), z.unknown()),
    created_at: z.string(),
  })
  .meta({ id: 'CodeGraphEdge' });

export const codeGraphNeighborsSchema = z
  .object({
    roots: z.array(codeGraphNodeSchema).describe('The definitions named by `symbol`, where the walk starts (depth 0).'),
    nodes: z.array(codeGraphNodeSchema).describe('The nodes reached (depth 1+), nearest first; at most `limit`.'),
    edges: z.array(codeGraphEdgeSchema).describe('`calls` edges one step apart; both ends of every edge are in `roots` or `nodes`.'),
    total: z.number().int().describe('Nodes reached (roots aside); more than `nodes` holds when `truncated`.'),
    truncated: z.boolean(),
  })
  // The component's name is part of the published OpenAPI document: spelled as the paths and fields are.
  .meta({ id: 'CodeGraphNeighbors' });

export const codeGraphPathSchema = z
  .object({ found: z.boolean(), nodes: z.array(codeGraphNodeSchema), edges: z.array(codeGraphEdgeSchema) })
  .meta({ id: 'CodeGraphPath' });

export type CodeRelation = (typeof CODE_RELATIONS)[number];
export type CodeGraphStats = z.infer<typeof codeGraphStatsSchema>;
export type CodeGraphNode = z.infer<typeof codeGraphNodeSchema>;
export type CodeGraphEdge = z.infer<typeof codeGraphEdgeSchema>;
export type CodeGraphNeighbors = z.infer<typeof codeGraphNeighborsSchema>;
export type CodeGraphPath = z.infer<typeof codeGraphPathSchema>;
