import { createServer } from 'node:http';
import { createLogger } from '@mnemolite/common';
import { createDb, type DbHandle } from '@mnemolite/db';
import { createApp } from './app';
import { ConfigError, loadConfig, type ApiConfig } from './config';
import { AppState } from './lifecycle/app-state';
import { prepareDatabase, schedulePartitionMaintenance } from './lifecycle/database-setup';
import { createMetrics } from './metrics/metrics';
import { APP_VERSION } from './version';

async function main(): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, name: 'api' });
  logger.info(
    { version: APP_VERSION, engine: config.databaseUrl ? 'postgres' : 'pglite', data_dir: config.databaseUrl ? undefined : config.dataDir },
    'starting MnemoLite API',
  );

  const database: DbHandle = await createDb(config);
  const state = new AppState('running database migrations');
  const metrics = createMetrics();
  const app = createApp({ config, logger, database, state, metrics });
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;

  let stopMaintenance = (): void => undefined;
  let shuttingDown = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    state.markNotReady('shutting down');
    stopMaintenance();
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
    await prepareDatabase(database, config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'database preparation failed');
    await database.close().catch(() => undefined);
    process.exit(1);
  }
  stopMaintenance = schedulePartitionMaintenance(database, config, logger);
  state.markReady();
  logger.info('ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
