import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@mnemolite/common';
import {
  CHUNK_TYPES,
  MAX_BATCH_FILES,
  indexFileSchema,
  languageName,
  repositoryName,
  type CodeGraphNode,
  type IndexProgress,
} from '@mnemolite/code-intel';
import { z } from 'zod';
import type { MnemoBackend } from '../backend/backend';
import { count, failure, ok, runTool, snippet } from './tool-result';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Sends `notifications/progress` when the client asked for them (a `progressToken` in the request's
 * `_meta`); otherwise does nothing. A failed notification never fails the work.
 */
function progressReporter(extra: Extra): (progress: number, total: number | undefined, message: string) => Promise<void> {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => Promise.resolve();
  // The protocol wants `progress` to increase with each notification: repeats are dropped.
  let last = -1;
  return (progress, total, message) => {
    if (progress <= last) return Promise.resolve();
    last = progress;
    return extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress, ...(total === undefined ? {} : { total }), message },
      })
      .catch(() => undefined);
  };
}

function symbolLine(node: CodeGraphNode): string {
  const props = node.properties as Record<string, unknown>;
  const where =
    typeof props['file_path'] === 'string'
      ? ` ${props['file_path']}${typeof props['start_line'] === 'number' ? `:${props['start_line']}` : ''}`
      : '';
  return `${node.label} [${node.type}]${where}${node.depth === undefined ? '' : ` (depth ${node.depth})`}`;
}

/** Code tools: index, search, callers, callees, repositories, delete a repository. */
export function registerCodeTools(server: McpServer, backend: MnemoBackend, logger?: Logger): void {
  server.registerTool(
    'code_index',
    {
      title: 'Index source code',
      description:
        'Index source code into searchable chunks (functions, classes, methods...) with a call/import graph. Give either ' +
        '"path", a directory on the MnemoLite server inside its CODE_INDEX_ROOTS (honours .gitignore, skips binaries ' +
        `and files over 1 MiB), or "files", 1..${MAX_BATCH_FILES} files with their content. Re-indexing is incremental: ` +
        'unchanged files are skipped, changed ones replace their old chunks, and (for a directory) files gone from disk ' +
        'are removed from the index. Sends progress notifications when the request carries a progressToken.',
      inputSchema: {
        repository: repositoryName.describe('A name for the repository, used by the other code tools.'),
        path: z
          .string()
          .min(1)
          .max(4096)
          .optional()
          .describe('Absolute directory on the server, inside CODE_INDEX_ROOTS. Exclusive with "files".'),
        files: z
          .array(indexFileSchema)
          .min(1)
          .max(MAX_BATCH_FILES)
          .optional()
          .describe('Files to index, with content. Exclusive with "path".'),
        commit: z.string().max(200).optional().describe('Optional commit id to record.'),
        embeddings: z.boolean().optional().describe('Compute embeddings for search by meaning (default true).'),
        graph: z.boolean().optional().describe('Build the call/import graph (default true).'),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args, extra) =>
      runTool('code_index', logger, async () => {
        if ((args.path === undefined) === (args.files === undefined)) {
          return failure(
            'Invalid arguments: give exactly one of "path" (a directory on the server) or "files" (with their content), not both and not neither.',
          );
        }
        const report = progressReporter(extra);
        await report(0, args.files?.length, `indexing ${args.path ?? `${args.files?.length} files`} into "${args.repository}"`);
        // Two phases, one rising count: files read and parsed (0..N), then changed files written (N..N+W);
        // the total is 2N (every file changed) until the write phase knows W.
        let prepared = 0;
        const onProgress = (p: IndexProgress) => {
          if (p.phase === 'prepare') {
            prepared = p.total;
            void report(p.done, 2 * p.total, `read and parsed ${p.done}/${p.total} files`);
          } else {
            void report(prepared + p.done, prepared + p.total, `wrote ${p.done}/${p.total} changed files, ${p.chunks} chunks`);
          }
        };
        // No closing notification: the result itself says the work is done (and the SDK's client drops
        // a notification that arrives in the same read as the result).
        const result = await backend.indexCode(args, onProgress);
        const errors = result.errors
          .slice(0, 10)
          .map((e) => `\n- ${e.path}: ${e.error}`)
          .join('');
        return ok(
          { ...result },
          `Indexed "${result.repository}": ${result.files_indexed} files indexed, ${result.files_unchanged} unchanged, ` +
            `${result.files_failed} failed; ${result.chunks} chunks, ${result.nodes} nodes, ${result.edges} edges in ${result.took_ms} ms.${errors}`,
        );
      }),
  );

  server.registerTool(
    'code_search',
    {
      title: 'Search code',
      description:
        'Find code chunks by words and meaning. mode "hybrid" (default) fuses lexical (identifiers split: getUserById ' +
        'matches "get user by id", plus fuzzy names) and vector (the code embedding); "lexical" or "vector" alone. Filter by ' +
        'repository, language, chunk type or path prefix. Results carry file, lines, signature and source.',
      inputSchema: {
        query: z.string().trim().min(1).max(2000).describe('What to look for: a name, words, or a description of the behaviour.'),
        mode: z.enum(['hybrid', 'lexical', 'vector']).optional().describe('"hybrid" (default), "lexical" or "vector".'),
        repository: repositoryName.optional().describe('Only this repository.'),
        language: languageName.optional().describe('Only this language, e.g. "typescript".'),
        chunk_type: z.enum(CHUNK_TYPES).optional().describe('Only this kind of chunk.'),
        path_prefix: z.string().min(1).max(1024).optional().describe('Only files whose path starts with this.'),
        limit: z.number().int().min(1).max(100).optional().describe('How many results (1..100, default 10).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('code_search', logger, async () => {
        const response = await backend.searchCode(args);
        const lines = response.results.map(
          (r, i) =>
            `${i + 1}. [${r.score.toFixed(3)}] ${r.chunk.repository}:${r.chunk.file_path}:${r.chunk.start_line}-${r.chunk.end_line} ` +
            `${r.chunk.chunk_type} ${r.chunk.qualified_name}${r.chunk.signature ? ` — ${snippet(r.chunk.signature, 120)}` : ''}`,
        );
        const head = `${count(response.results.length, 'chunk')} (${response.mode}, ${response.took_ms} ms)`;
        return ok({ ...response }, lines.length ? `${head}:\n${lines.join('\n')}` : `${head}. Nothing matched.`);
      }),
  );

  const neighborsInput = {
    repository: repositoryName.describe('The indexed repository.'),
    symbol: z.string().min(1).max(500).describe('A function, method or class: qualified ("Class.method") or plain name.'),
    depth: z.number().int().min(1).max(10).optional().describe('How many call steps to follow (1..10, default 1).'),
  };

  for (const [name, direction] of [
    ['code_callers', 'callers'],
    ['code_callees', 'callees'],
  ] as const) {
    server.registerTool(
      name,
      {
        title: direction === 'callers' ? 'Who calls this?' : 'What does this call?',
        description:
          direction === 'callers'
            ? 'The functions and methods that call a symbol, up to depth steps back along resolved call edges.'
            : 'The functions and methods a symbol calls, up to depth steps along resolved call edges.',
        inputSchema: neighborsInput,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      (args) =>
        runTool(name, logger, async () => {
          const result = await backend[direction](args.repository, args.symbol, args.depth);
          const lines = result.nodes.map((node) => `- ${symbolLine(node)}`);
          return ok({ ...result }, `${result.nodes.length} ${direction} of ${args.symbol}${lines.length ? `:\n${lines.join('\n')}` : '.'}`);
        }),
    );
  }

  server.registerTool(
    'code_repositories',
    {
      title: 'List indexed repositories',
      description: 'Every indexed repository with its file and chunk counts, files per language, and when it was last indexed.',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      runTool('code_repositories', logger, async () => {
        const repositories = await backend.repositories();
        const lines = repositories.map(
          (r) => `- ${r.repository}: ${r.files} files, ${r.chunks} chunks, last indexed ${r.last_indexed_at ?? 'never'}`,
        );
        return ok(
          { repositories },
          `${count(repositories.length, 'repository', 'repositories')}${lines.length ? `:\n${lines.join('\n')}` : '.'}`,
        );
      }),
  );

  server.registerTool(
    'code_delete_repository',
    {
      title: 'Delete an indexed repository',
      description: 'Remove a repository from the index: its files, chunks, graph nodes and edges. The source on disk is not touched.',
      inputSchema: { repository: repositoryName.describe('The repository name, as listed by code_repositories.') },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('code_delete_repository', logger, async () => {
        const deleted = await backend.deleteRepository(args.repository);
        return ok(
          { repository: args.repository, deleted },
          `Deleted "${args.repository}": ${deleted.files} files, ${deleted.chunks} chunks, ${deleted.nodes} nodes, ${deleted.edges} edges.`,
        );
      }),
  );
}
