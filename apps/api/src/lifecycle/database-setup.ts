import type { Logger } from '@mnemolite/common';
import { applyTextSearchConfig, runMigrations, runPartitionMaintenance, type DbHandle } from '@mnemolite/db';
import type { ApiConfig } from '../config';

type MaintenanceConfig = Pick<ApiConfig, 'premakeMonths' | 'retentionMonths' | 'maintenanceIntervalMinutes'>;
type SetupConfig = MaintenanceConfig & Pick<ApiConfig, 'textSearchConfig' | 'migrationsDir'>;

/**
 * Migrates the schema, puts the text search configuration in place (rewriting stored rows when it
 * changed) and prepares partitions; the service is ready when this resolves.
 */
export async function prepareDatabase(database: DbHandle, config: SetupConfig, logger: Logger): Promise<void> {
  const started = Date.now();
  const migrations = await runMigrations(database, config.migrationsDir);
  logger.info({ ...migrations, took_ms: Date.now() - started }, 'database migrated');
  const textSearch = await applyTextSearchConfig(database.db, config.textSearchConfig);
  if (textSearch.rewritten > 0 || textSearch.previous !== textSearch.current) {
    logger.info(textSearch, 'text search configuration changed: stored events re-analysed');
  }
  await maintainPartitions(database, config, logger);
}

async function maintainPartitions(database: DbHandle, config: MaintenanceConfig, logger: Logger): Promise<void> {
  const report = await runPartitionMaintenance(database.db, {
    premakeMonths: config.premakeMonths,
    retentionMonths: config.retentionMonths,
  });
  logger.info(
    {
      strategy: report.strategy,
      pg_partman: report.partmanVersion,
      partitions: report.partitions.length,
      newest: report.partitions.at(-1),
      dropped: report.dropped,
    },
    'partition maintenance done',
  );
}

/**
 * Runs partition maintenance on a timer (it is cheap when there is nothing to do). Failures are
 * logged and retried at the next tick, never fatal. Returns the function that stops the timer.
 */
export function schedulePartitionMaintenance(database: DbHandle, config: MaintenanceConfig, logger: Logger): () => void {
  if (config.maintenanceIntervalMinutes === 0) return () => undefined;
  const timer = setInterval(() => {
    maintainPartitions(database, config, logger).catch((error: unknown) =>
      logger.error({ err: error }, 'partition maintenance failed; retrying at the next interval'),
    );
  }, config.maintenanceIntervalMinutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
