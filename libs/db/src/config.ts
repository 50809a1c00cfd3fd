export interface DbConfig {
  /** `postgres://...`: use a PostgreSQL server. Absent: embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Embedded engine data directory; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  /** Largest number of pooled server connections. */
  poolMax: number;
  /** Shown in `pg_stat_activity`; lets the API see whether a worker is connected. */
  applicationName?: string;
}

export const DEFAULT_DATA_DIR = './.mnemolite/pgdata';
