import { z } from 'zod';
import { isStorableText, textSchema } from '@mnemolite/common';
import { GRAPH_NODE_LIMIT } from '@mnemolite/code-intel';

const CHUNK_TYPES = ['function', 'method', 'class', 'interface', 'module', 'block'] as const;

/** Control characters (NUL included) have no place in names and paths. */
function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) < 0x20 || value.charCodeAt(i) === 0x7f) return true;
  return false;
}

/** Text that names something (a path, a symbol): storable and free of control characters. */
function nameText(max: number) {
  return textSchema()
    .min(1)
    .max(max)
    .refine((value) => !hasControlCharacters(value), 'must not contain control characters');
}

/**
 * Repository names: one or more segments of letters, digits, `.`, `_` and `-`, each starting with a
 * letter or digit, separated by single `/` (`shop`, `acme/shop`, `my_lib.v2`). So no spaces, no `..`,
 * no leading or trailing `/`.
 */
const REPOSITORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

const repositoryName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(REPOSITORY_NAME, 'must be letters, digits, ".", "_" and "-" (segments starting with a letter or digit, separated by single "/")')
  .describe('Repository name, as given when indexing: `[A-Za-z0-9][A-Za-z0-9._-]*` segments joined by `/`, at most 200 characters.');

/**
 * A file's path inside its repository: relative (no leading `/` or `\\`, no drive letter) and with no
 * `.` or `..` segment, so it can never name a file outside the repository.
 */
function isRepositoryRelative(value: string): boolean {
  if (/^[/\\]/.test(value) || /^[A-Za-z]:/.test(value)) return false;
  return value.split(/[/\\]/).every((segment) => segment !== '..' && segment !== '.');
}

const languageName = z.string().regex(/^[a-z0-9+#_-]{1,32}$/, 'must be a lower-case language id such as "typescript" or "python"');

/** Query-string integers: digits only, so `1.5`, `1e3` or `abc` are a 400 rather than coerced. */
function intParam(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be an integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((value) => value ?? fallback);
}

export const indexFileSchema = z.object({
  path: nameText(1024)
    .refine(isRepositoryRelative, 'must be relative to the repository, without "." or ".." segments')
    .describe('Path of the file in the repository: relative, no `.` or `..` segments, no control characters.'),
  // U+0000 marks a binary file: it is reported in `errors` (files_failed), like binaries found on disk,
  // rather than failing the whole batch. An unpaired surrogate has no UTF-8 form at all: 400.
  content: z
    .string()
    .refine((value) => isStorableText(value.replaceAll('\u0000', '')), 'must not contain unpaired surrogates')
    .describe(
      'The file text (at most 1 MiB; no unpaired surrogates). A file containing U+0000 is binary: reported in `errors`, not indexed.',
    ),
  language: languageName.optional().describe('Overrides detection by extension.'),
});

export const indexRequestSchema = z
  .object({
    repository: repositoryName,
    files: z.array(indexFileSchema).min(1).max(500).optional().describe('1 to 500 files, each at most 1 MiB.'),
    path: nameText(4096).optional().describe('A directory on the server, inside CODE_INDEX_ROOTS.'),
    commit: textSchema().max(200).optional(),
    embeddings: z.boolean().optional().default(true),
    graph: z.boolean().optional().default(true),
  })
  .refine((body) => (body.files === undefined) !== (body.path === undefined), {
    message: 'Give either "files" or "path", not both and not neither.',
    path: ['files'],
  })
  .meta({ id: 'CodeIndexRequest' });

export const indexReportSchema = z
  .object({
    repository: z.string(),
    files_indexed: z.number().int(),
    files_unchanged: z.number().int(),
    files_failed: z.number().int(),
    chunks: z.number().int(),
    nodes: z.number().int(),
    edges: z.number().int(),
    errors: z.array(z.object({ path: z.string(), error: z.string() })),
    took_ms: z.number().int(),
  })
  .meta({ id: 'CodeIndexReport' });

export const chunkSchema = z
  .object({
    id: z.uuid(),
    repository: z.string(),
    file_path: z.string(),
    language: z.string(),
    chunk_type: z.enum(CHUNK_TYPES),
    name: z.string(),
    qualified_name: z.string(),
    signature: z.string().nullable(),
    docstring: z.string().nullable(),
    start_line: z.number().int().describe('1-based, inclusive.'),
    end_line: z.number().int().describe('1-based, inclusive.'),
    source: z.string().optional().describe('Omitted in listings.'),
    metadata: z
      .record(z.string(), z.unknown())
      .describe('complexity, parameters, return_type, calls, imports, kind, and part/parts for split units.'),
    indexed_at: z.string(),
  })
  .meta({ id: 'CodeChunk' });

export const searchRequestSchema = z
  .object({
    query: textSchema().trim().min(1).max(2000),
    mode: z.enum(['hybrid', 'lexical', 'vector']).optional().default('hybrid'),
    repository: repositoryName.optional(),
    language: languageName.optional(),
    chunk_type: z.enum(CHUNK_TYPES).optional(),
    path_prefix: nameText(1024).optional(),
    limit: z.number().int().min(1).max(100).optional().default(10),
  })
  .meta({ id: 'CodeSearchRequest' });

export const searchResponseSchema = z
  .object({
    results: z.array(
      z.object({
        chunk: chunkSchema,
        score: z.number().min(0).max(1),
        scores: z.object({ lexical: z.number().optional(), vector: z.number().optional() }),
      }),
    ),
    mode: z.enum(['hybrid', 'lexical', 'vector']),
    took_ms: z.number().int(),
  })
  .meta({ id: 'CodeSearchResponse' });

export const chunksQuerySchema = z.object({
  repository: repositoryName,
  path: nameText(1024).optional(),
  language: languageName.optional(),
  chunk_type: z.enum(CHUNK_TYPES).optional(),
  limit: intParam(1, 1000, 100),
  offset: intParam(0, 1_000_000, 0),
});

export const chunkPageSchema = z
  .object({ items: z.array(chunkSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'CodeChunkPage' });

export const chunkIdSchema = z.object({ id: z.uuid('must be a UUID') });

export const chunkViewQuerySchema = z.object({
  highlight: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('`true` adds `source_html`: the source highlighted on the server (highlight.js `hljs-*` spans, escaped).'),
});

export const repositoryParamSchema = z.object({ name: repositoryName });

export const repositorySummarySchema = z
  .object({
    repository: z.string(),
    files: z.number().int(),
    chunks: z.number().int(),
    languages: z.record(z.string(), z.number().int()).describe('Files per language.'),
    last_indexed_at: z.string().nullable(),
  })
  .meta({ id: 'CodeRepository' });

export const deletedCountsSchema = z
  .object({ files: z.number().int(), chunks: z.number().int(), nodes: z.number().int(), edges: z.number().int() })
  .meta({ id: 'CodeRepositoryDeleted' });

export const statsQuerySchema = z.object({ repository: repositoryName.optional() });

export const statsSchema = z
  .object({
    nodes: z.record(z.string(), z.number().int()).describe('Node counts by type.'),
    edges: z.record(z.string(), z.number().int()).describe('Edge counts by relation.'),
    resolved_calls_ratio: z.number().min(0).max(1),
    calls: z.object({ total: z.number().int(), resolved: z.number().int(), unresolved: z.number().int() }),
  })
  .meta({ id: 'CodeGraphStats' });

export const neighboursQuerySchema = z.object({
  repository: repositoryName,
  symbol: nameText(500).describe('Qualified (`Class.method`) or plain name.'),
  depth: intParam(1, 10, 1),
  limit: intParam(1, GRAPH_NODE_LIMIT.max, GRAPH_NODE_LIMIT.default).describe(
    'Most nodes listed (besides `roots`); past it the nearest are kept and `truncated` is true.',
  ),
});

export const pathQuerySchema = z.object({
  repository: repositoryName,
  from: nameText(500),
  to: nameText(500),
  max_depth: intParam(1, 20, 10),
  relation: z.enum(['calls', 'imports', 'contains']).optional().default('calls'),
});

const graphNodeSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    label: z.string(),
    properties: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    depth: z.number().int().optional(),
  })
  .meta({ id: 'CodeGraphNode' });

const graphEdgeSchema = z
  .object({
    id: z.uuid(),
    source: z.uuid(),
    target: z.uuid(),
    relation: z.string(),
    properties: z.record(z.string(), z.unknown()),
    created_at: z.string(),
  })
  .meta({ id: 'CodeGraphEdge' });

export const neighboursSchema = z
  .object({
    roots: z.array(graphNodeSchema).describe('The definitions named by `symbol`, where the walk starts (depth 0).'),
    nodes: z.array(graphNodeSchema).describe('The nodes reached (depth 1+), nearest first; at most `limit`.'),
    edges: z.array(graphEdgeSchema).describe('`calls` edges one step apart; both ends of every edge are in `roots` or `nodes`.'),
    total: z.number().int().describe('Nodes reached (roots aside); more than `nodes` holds when `truncated`.'),
    truncated: z.boolean(),
  })
  .meta({ id: 'CodeGraphNeighbours' });

export const pathSchema = z
  .object({ found: z.boolean(), nodes: z.array(graphNodeSchema), edges: z.array(graphEdgeSchema) })
  .meta({ id: 'CodeGraphPath' });
