import type { Logger } from '@mnemolite/common';
import { applyTextSearchConfig, refreshPlannerStatistics, runMigrations, runPartitionMaintenance, type DbHandle } from '@mnemolite/db';
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
  if (database.engine === 'pglite') await refreshStatistics(database, logger);
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

/** How often the embedded engine's planner statistics are checked (a catalog query when nothing is due). */
export const STATISTICS_REFRESH_INTERVAL_MS = 60_000;

async function refreshStatistics(database: DbHandle, logger: Logger): Promise<void> {
  const started = Date.now();
  const refresh = await refreshPlannerStatistics(database.db);
  if (refresh.analysed.length + refresh.vacuumed.length > 0)
    logger.info({ ...refresh, took_ms: Date.now() - started }, 'planner statistics refreshed');
}

/**
 * The embedded engine has no autovacuum: without this its planner never learns how large the tables
 * are (it then scans every vector instead of walking the HNSW graphs) and dead row versions pile up.
 * Every `STATISTICS_REFRESH_INTERVAL_MS`, tables that changed enough are analysed or vacuumed, as
 * autovacuum would on a server (`refreshPlannerStatistics`). Nothing to do on a server. Failures are
 * logged and retried at the next tick. Returns the function that stops the timer.
 */
export function schedulePlannerStatistics(database: DbHandle, logger: Logger, intervalMs = STATISTICS_REFRESH_INTERVAL_MS): () => void {
  if (database.engine !== 'pglite') return () => undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshStatistics(database, logger)
      .catch((error: unknown) => logger.error({ err: error }, 'planner statistics refresh failed; retrying at the next interval'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
