import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createLogger, exitOnFatalErrors, loadConfigOrExit, type Logger } from '@mnemolite/common';
import { createDb, runMigrations, runPartitionMaintenance } from '@mnemolite/db';
import { createEmbeddingService } from '@mnemolite/embeddings';
import { createMnemoMcpServer, createRestBackend, createServiceBackend, type MnemoBackend } from '@mnemolite/mcp';
import { ConfigError, mcpConfigSchema, type McpConfig } from './config';
import { deferredBackend } from './deferred-backend';
import { APP_VERSION } from './version';

interface OpenedBackend {
  backend: MnemoBackend;
  close(): Promise<void>;
}

/** Opens the database in this process (migrated, partitions ready) and the library services over it. */
async function openDatabase(config: Extract<McpConfig, { mode: 'database' }>, logger: Logger): Promise<OpenedBackend> {
  let database;
  try {
    database = await createDb({ ...config.database, applicationName: 'mnemolite-mcp' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (config.database.engine === 'pglite' && /in use by process/.test(message)) {
      // The embedded engine admits one process: when the API holds it, work through the API.
      throw new ConfigError([
        `${message} If that process is the MnemoLite API, set MNEMOLITE_URL (e.g. http://127.0.0.1:8000) and ` +
          'MNEMOLITE_API_KEY (when the API has one) so this server works through it.',
      ]);
    }
    throw error;
  }
  const embeddings = createEmbeddingService(config.embeddings, { logger: logger.child({ module: 'embeddings' }) });
  try {
    await runMigrations(database, config.migrationsDir);
    await runPartitionMaintenance(database.db, { premakeMonths: config.premakeMonths, retentionMonths: config.retentionMonths });
    await embeddings.load();
  } catch (error) {
    // The embedded engine must be closed cleanly even when the start fails.
    await database.close();
    await embeddings.close();
    throw error;
  }
  const backend = createServiceBackend({
    database,
    textEmbedder: embeddings.text,
    codeEmbedder: embeddings.code,
    indexRoots: config.codeIndexRoots,
    version: APP_VERSION,
    embeddingStatus: () => embeddings.status(),
    namespace: config.namespace,
  });
  logger.info({ engine: database.engine, embeddings: embeddings.status() }, 'database open');
  return {
    backend,
    async close() {
      await backend.close();
      // The embedded engine must be closed cleanly: its data directory is only consistent after close.
      await database.close();
      await embeddings.close();
    },
  };
}

/**
 * The MCP server over stdio: JSON-RPC on stdin/stdout, logs (JSON lines) on stderr. It works through
 * a running API (MNEMOLITE_URL) or opens the database itself; see config.ts.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(mcpConfigSchema);
  // stdout carries the protocol: every log line goes to stderr, the fatal ones included.
  const logger = createLogger({ level: config.logLevel, name: 'mcp' }, process.stderr);
  exitOnFatalErrors(logger);

  const fail = (error: unknown): never => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  };
  // The database opens behind the protocol: `initialize` and `tools/list` are answered at once.
  const opening: Promise<OpenedBackend> =
    config.mode === 'api'
      ? Promise.resolve({
          backend: createRestBackend({ url: config.url, apiKey: config.apiKey, namespace: config.namespace }),
          close: () => Promise.resolve(),
        })
      : openDatabase(config, logger);
  const backend =
    config.mode === 'api'
      ? (await opening).backend
      : deferredBackend(
          opening.then((opened) => opened.backend),
          'in-process',
          config.namespace,
        );
  const server = createMnemoMcpServer(backend, { version: APP_VERSION, logger });
  const transport = new StdioServerTransport();

  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    try {
      await server.close();
      // Whatever the opening reached is closed (a failed opening has closed what it opened).
      const opened = await opening.catch(() => undefined);
      await opened?.close();
    } finally {
      process.exit(0);
    }
  };
  // A client ends the session by closing our stdin (or by a signal).
  process.stdin.on('end', () => void stop('stdin closed'));
  transport.onclose = () => void stop('transport closed');
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await server.connect(transport);
  logger.info({ mode: config.mode, via: backend.via, namespace: backend.namespace, version: APP_VERSION }, 'MCP server ready on stdio');
  // A database that cannot be opened (held by the API, unreachable, bad migrations) ends the process.
  opening.then(
    () => logger.info('database ready'),
    (error: unknown) => {
      if (!stopping) fail(error);
    },
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
