import { hostname } from 'node:os';
import { createLogger, exitOnFatalErrors, loadConfigOrExit } from '@mnemolite/common';
import { WORKER_APPLICATION_NAME, createDb, retryWhileUnreachable, runMigrations, runPartitionMaintenance } from '@mnemolite/db';
import { createEmbeddingService } from '@mnemolite/embeddings';
import { INGEST_EVENT_JOB, ingestEventJob } from '@mnemolite/memory';
import { workerConfigSchema } from './config';
import { JobListener } from './job-listener';
import { JobRunner, type JobHandler } from './job-runner';

async function main(): Promise<void> {
  const config = loadConfigOrExit(workerConfigSchema);
  const logger = createLogger({ level: config.logLevel, name: 'worker' });
  exitOnFatalErrors(logger);
  if (!config.enabled) {
    logger.info('worker disabled (set WORKER_ENABLED=true to run it); exiting');
    return;
  }

  const database = await createDb({ ...config.database, applicationName: WORKER_APPLICATION_NAME });
  database.availability.onChange((event) => {
    if (event.state === 'unavailable') logger.error({ err: event.error }, 'database unavailable; waiting for it');
    else logger.info({ unavailable_ms: event.unavailableForMs }, 'database available again');
  });
  await retryWhileUnreachable(() => runMigrations(database, config.migrationsDir), {
    limitMs: config.startupRetrySeconds * 1000,
    onRetry: ({ attempt, delayMs, error }) =>
      logger.warn({ err: error, attempt, retry_in_ms: delayMs }, 'database unreachable at start; retrying'),
  });
  const embeddings = createEmbeddingService(config.embeddings, { logger: logger.child({ module: 'embeddings' }) });
  await embeddings.load();
  const maintenance = { premakeMonths: config.premakeMonths, retentionMonths: config.retentionMonths };
  const handlers = new Map<string, JobHandler>([
    ['partition-maintenance', async () => ({ ...(await runPartitionMaintenance(database.db, maintenance)) })],
    [INGEST_EVENT_JOB, ingestEventJob({ db: database.db, textEmbedder: embeddings.text })],
  ]);
  const runner = new JobRunner(
    database.db,
    handlers,
    {
      workerId: `${hostname()}:${process.pid}`,
      concurrency: config.concurrency,
      pollIntervalMs: config.pollIntervalMs,
      staleJobMs: config.staleJobMs,
      isAvailable: () => database.availability.available,
    },
    logger,
  );
  const maintainPartitions = () =>
    runPartitionMaintenance(database.db, maintenance)
      .then((report) => logger.info({ strategy: report.strategy, partitions: report.partitions.length }, 'partition maintenance done'))
      .catch((error: unknown) => logger.error({ err: error }, 'partition maintenance failed'));
  await maintainPartitions();
  const timer =
    config.maintenanceIntervalMinutes > 0 ? setInterval(maintainPartitions, config.maintenanceIntervalMinutes * 60_000) : undefined;

  const listener = new JobListener(config.database.url, () => runner.wake(), logger);
  await retryWhileUnreachable(() => listener.start(), { limitMs: config.startupRetrySeconds * 1000 });
  runner.start();
  logger.info({ kinds: [...handlers.keys()], concurrency: config.concurrency }, 'worker started');

  const shutdown = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'worker stopping after running jobs finish');
    if (timer) clearInterval(timer);
    await listener.stop();
    await runner.stop();
    await database.close();
    await embeddings.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
