import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '@mnemolite/common';
import type { MnemoBackend } from '../backend/backend';
import { count, ok, runTool } from './tool-result';

/** Health: engine, models, counts; all read through the backend, like the REST API answers them. */
export function registerHealthTool(server: McpServer, backend: MnemoBackend, logger?: Logger): void {
  server.registerTool(
    'health',
    {
      title: 'MnemoLite health',
      description:
        'Is MnemoLite working? The database engine and its version, the embedding models (and whether the lexical-only ' +
        'hash fallback serves), and how many memories and indexed repositories, files and chunks there are in this namespace.',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      runTool('health', logger, async () => {
        const [health, events, repositories] = await Promise.all([
          backend.health(),
          backend.listEvents({ limit: 1 }),
          backend.repositories(),
        ]);
        const counts = {
          memories: events.total,
          repositories: repositories.length,
          code_files: repositories.reduce((sum, r) => sum + r.files, 0),
          code_chunks: repositories.reduce((sum, r) => sum + r.chunks, 0),
        };
        const db = health.database;
        const models = health.embeddings
          ? ` Models: text ${health.embeddings.text.model} (${health.embeddings.text.mode}), code ${health.embeddings.code.model} (${health.embeddings.code.mode}).`
          : '';
        return ok(
          { ...health, counts, via: backend.via, namespace: backend.namespace },
          `MnemoLite ${health.version} is ${health.status} (via ${backend.via}, namespace "${backend.namespace}"). Database: ${db.engine} ${db.server_version ?? '?'}` +
            `${db.citus ? ` (Citus ${db.citus.version}, ${count(db.citus.workers, 'worker')})` : ''}` +
            `${db.ok ? '' : ` NOT answering: ${db.error ?? ''}`}.${models} ${count(counts.memories, 'memory', 'memories')}; ${count(counts.repositories, 'repository', 'repositories')}, ` +
            `${count(counts.code_files, 'file')}, ${count(counts.code_chunks, 'chunk')}.`,
        );
      }),
  );
}
