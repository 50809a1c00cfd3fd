import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import type { DbConfig } from './config';
import type { Database, DbHandle } from './database';
import { DataDirLock } from './pglite-lock';
import * as schema from './schema';

/**
 * Opens the configured database: a node-postgres pool when `databaseUrl` is set, else the embedded
 * PGlite engine (PostgreSQL 18 in WASM with pgvector and pg_trgm). Nothing is global: the caller owns
 * the handle and must `close()` it.
 */
export async function createDb(config: DbConfig): Promise<DbHandle> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, config.poolMax, config.applicationName)
    : openPglite(config.dataDir);
}

async function openPostgres(databaseUrl: string, poolMax: number, applicationName = 'mnemolite'): Promise<DbHandle> {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: poolMax,
    connectionTimeoutMillis: 10_000,
    application_name: applicationName,
  });
  // An idle client losing its server connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  let closed = false;
  return {
    db,
    engine: 'postgres',
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const inMemory = dataDir.startsWith('memory://');
  const lock = inMemory ? undefined : DataDirLock.acquire(dataDir);
  try {
    if (!inMemory) mkdirSync(dataDir, { recursive: true });
    const client = await PGlite.create(dataDir, { extensions: { vector, pg_trgm } });
    const db = drizzlePglite(client, { schema }) as unknown as Database;
    let closed = false;
    return {
      db,
      engine: 'pglite',
      poolStats: () => null,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await client.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
