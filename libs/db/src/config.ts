import type { DatabaseConfig } from '@mnemolite/common';

/**
 * What `createDb` opens: the embedded engine in `dataDir` (`memory://` keeps everything in memory,
 * for tests) or a PostgreSQL server at `url`; see DatabaseConfig in @mnemolite/common.
 */
export type DbConfig = DatabaseConfig & {
  /** Shown in `pg_stat_activity`; lets the API see whether a worker is connected. */
  applicationName?: string;
};
