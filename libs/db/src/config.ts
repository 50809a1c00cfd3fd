export interface DbConfig {
  /** `postgres://...`: use a PostgreSQL server. Absent: embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Embedded engine data directory; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  /** Largest number of pooled server connections. */
  poolMax: number;
}

export const DEFAULT_DATA_DIR = './.mnemolite/pgdata';
