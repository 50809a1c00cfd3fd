import { createServer } from 'node:http';
import { createLogger, exitOnFatalErrors, loadConfigOrExit, summarizeError } from '@mnemolite/common';
import { createDb, retryWhileUnreachable, workerConnected, type DbHandle } from '@mnemolite/db';
import { createEmbeddingService } from '@mnemolite/embeddings';
import { createServiceBackend } from '@mnemolite/mcp';
import { createApp } from './app';
import { apiConfigSchema } from './config';
import { AppState } from './lifecycle/app-state';
import { prepareDatabase, schedulePartitionMaintenance, schedulePlannerStatistics } from './lifecycle/database-setup';
import { createMetrics } from './metrics/metrics';
import { registerDatabaseMetrics } from './metrics/database-metrics';
import { startMetricsSampler } from './metrics/metrics-sampler';
import { createCodeFeature } from './routes/code/code.feature';
import { mcpRoutes } from './routes/mcp/mcp.routes';
import { createMemoryFeature } from './routes/memory/memory.feature';
import { APP_VERSION } from './version';

async function main(): Promise<void> {
  const config = loadConfigOrExit(apiConfigSchema);
  const logger = createLogger({ level: config.logLevel, name: 'api' });
  exitOnFatalErrors(logger);
  logger.info(
    {
      version: APP_VERSION,
      engine: config.database.engine,
      data_dir: config.database.engine === 'pglite' ? config.database.dataDir : undefined,
    },
    'starting MnemoLite API',
  );

  const database: DbHandle = await createDb({ ...config.database, applicationName: 'mnemolite-api' });
  if (database.sharedBuffersMb !== null) {
    logger.info(
      {
        shared_buffers_mb: database.sharedBuffersMb,
        setting: config.database.engine === 'pglite' ? config.database.sharedBuffersMb : undefined,
      },
      'embedded engine started (page cache sized at start: MNEMO_PGLITE_SHARED_BUFFERS_MB)',
    );
  }
  const state = new AppState('running database migrations and loading embedding models');
  database.availability.onChange((event) => {
    if (event.state === 'unavailable') logger.error({ err: event.error }, 'database unavailable; answering 503 until it is back');
    else logger.info({ unavailable_ms: event.unavailableForMs }, 'database available again');
  });
  const metrics = createMetrics();
  const embeddingLatency = metrics.histogram(
    'mnemolite_embedding_duration_seconds',
    'Time to embed one call, by model and kind.',
    ['model', 'kind'],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  const embeddings = createEmbeddingService(config.embeddings, {
    logger: logger.child({ module: 'embeddings' }),
    observe: ({ model, kind, seconds }) => {
      embeddingLatency.observe({ model, kind }, seconds);
      metrics.window.observe('embedding', `${model} ${kind}`, seconds);
    },
  });
  registerDatabaseMetrics(metrics, database);
  const memory = createMemoryFeature({
    db: database.db,
    textEmbedder: embeddings.text,
    workerAvailable: () => workerConnected(database.db),
  });
  const code = createCodeFeature({
    database,
    indexRoots: config.codeIndexRoots,
    textEmbedder: embeddings.text,
    codeEmbedder: embeddings.code,
  });
  const mcpBackend = createServiceBackend({
    database,
    textEmbedder: embeddings.text,
    codeEmbedder: embeddings.code,
    indexRoots: config.codeIndexRoots,
    version: APP_VERSION,
    embeddingStatus: () => embeddings.status(),
    startedAt: state.startedAt,
  });
  const app = createApp({
    config,
    logger,
    database,
    state,
    metrics,
    embeddingStatus: () => embeddings.status(),
    features: [memory, code],
    mcp: mcpRoutes({ backend: mcpBackend, version: APP_VERSION, logger }),
  });
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;

  let stopMaintenance = (): void => undefined;
  let stopStatistics = (): void => undefined;
  let stopSampler = (): void => undefined;
  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    state.markNotReady('shutting down');
    stopMaintenance();
    stopStatistics();
    stopSampler();
    const forceExit = setTimeout(() => {
      logger.error({ timeout_ms: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    forceExit.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    // The embedded engine must be closed cleanly: its data directory is only consistent after close.
    await database.close();
    await Promise.all([embeddings.close(), code.close(), mcpBackend.close()]);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ url: `http://${config.host}:${port}` }, 'listening');

  try {
    const migrated = retryWhileUnreachable(() => prepareDatabase(database, config, logger), {
      limitMs: config.startupRetrySeconds * 1000,
      onRetry: ({ attempt, delayMs, error }) => {
        state.markNotReady(`waiting for the database (attempt ${attempt} failed)`);
        logger.warn({ err: error, attempt, retry_in_ms: delayMs }, 'database unreachable at start; retrying');
      },
    });
    await Promise.all([migrated, embeddings.load()]);
  } catch (error) {
    logger.fatal({ err: error }, `cannot start: ${summarizeError(error).message}`);
    await database.close().catch(() => undefined);
    process.exit(1);
  }
  logger.info({ embeddings: embeddings.status() }, 'embedding models ready');
  stopMaintenance = schedulePartitionMaintenance(database, config, logger);
  stopStatistics = schedulePlannerStatistics(database, logger);
  stopSampler = startMetricsSampler(metrics.window, database);
  state.markReady();
  logger.info('ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
