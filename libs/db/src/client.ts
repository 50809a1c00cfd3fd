import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { Client, Pool, type PoolClient } from 'pg';
import type { EmbeddedDatabaseConfig } from '@mnemolite/common';
import { DatabaseAvailability } from './availability';
import type { DbConfig } from './config';
import type { Database, DbHandle } from './database';
import { yieldBetweenStatements } from './pglite-fairness';
import { DataDirLock } from './pglite-lock';
import { resolvePgliteSharedBuffersMb } from './pglite-memory';
import * as schema from './schema';

/**
 * Opens the configured database: a node-postgres pool on a server, or the embedded
 * PGlite engine (PostgreSQL 18 in WASM with pgvector and pg_trgm). Nothing is global: the caller owns
 * the handle and must `close()` it.
 */
export async function createDb(config: DbConfig): Promise<DbHandle> {
  return config.engine === 'postgres'
    ? openPostgres(config.url, config.poolMax, config.applicationName)
    : openPglite(config.dataDir, config.sharedBuffersMb);
}

type ConnectCallback = (error: Error | undefined, client: PoolClient | undefined, done: (release?: unknown) => void) => void;

/**
 * A pool that tells the availability monitor when it cannot open a connection. `pool.query` also
 * goes through `connect(callback)`, so both the promise and the callback forms report.
 */
class MonitoredPool extends Pool {
  onConnectError: (error: unknown) => void = () => undefined;

  override connect(): Promise<PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<PoolClient> | void {
    if (callback) {
      super.connect((error, client, done) => {
        if (error) this.onConnectError(error);
        callback(error, client, done);
      });
      return;
    }
    return super.connect().catch((error: unknown) => {
      this.onConnectError(error);
      throw error;
    });
  }
}

/** Fails fast when the server is gone instead of waiting the driver's default (no limit). */
const CONNECT_TIMEOUT_MS = 5_000;
const PROBE_TIMEOUT_MS = 1_000;

async function openPostgres(databaseUrl: string, poolMax: number, applicationName = 'mnemolite'): Promise<DbHandle> {
  const pool = new MonitoredPool({
    connectionString: databaseUrl,
    max: poolMax,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: applicationName,
  });
  const availability = new DatabaseAvailability(() => probeServer(databaseUrl, applicationName));
  pool.onConnectError = (error) => availability.report(error);
  // A client whose server connection dies emits 'error'. pg-pool listens only while the client is
  // idle (and then drops it); a client checked out for a transaction has no listener, and the
  // error would be thrown out of the event loop and end the process. This listener stays for the
  // client's whole life; a dead client is not queryable, so pg-pool discards it on release.
  pool.on('connect', (client) => client.on('error', (error) => availability.report(error)));
  pool.on('error', (error) => availability.report(error));
  const db: Database = drizzlePg(pool, { schema });
  let closed = false;
  return {
    db,
    engine: 'postgres',
    availability,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    sharedBuffersMb: null,
    async close() {
      if (closed) return;
      closed = true;
      availability.close();
      await pool.end();
    },
  };
}

/** Whether a fresh connection can be opened and answer: outside the pool, which may be full of dead or busy clients. */
async function probeServer(databaseUrl: string, applicationName: string): Promise<void> {
  const client = new Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    query_timeout: PROBE_TIMEOUT_MS,
    application_name: `${applicationName}-probe`,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * PGlite's pages are files the OS keeps cached (or memory), where a random read costs about what a
 * sequential one does; with PostgreSQL's default of 4 (spinning disks) the planner priced an HNSW walk
 * above scanning every vector. Measured (SEARCH.md): vector search over 3,000 events p50 25 -> 13 ms.
 */
export const PGLITE_RANDOM_PAGE_COST = 1.1;

async function openPglite(dataDir: string, sharedBuffers: EmbeddedDatabaseConfig['sharedBuffersMb']): Promise<DbHandle> {
  const inMemory = dataDir.startsWith('memory://');
  const lock = inMemory ? undefined : DataDirLock.acquire(dataDir);
  try {
    if (!inMemory) mkdirSync(dataDir, { recursive: true });
    // Sized before the engine starts (a setting it only reads at start): see pglite-memory.ts.
    const sharedBuffersMb = resolvePgliteSharedBuffersMb(dataDir, sharedBuffers);
    const client = await PGlite.create(dataDir, {
      extensions: { vector, pg_trgm },
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`],
    });
    // PGlite has one session for its whole life, so a session setting holds for every query.
    await client.exec(`set random_page_cost = ${PGLITE_RANDOM_PAGE_COST}`);
    yieldBetweenStatements(client);
    const db: Database = drizzlePglite(client, { schema });
    let closed = false;
    return {
      db,
      engine: 'pglite',
      // In-process: there is no connection that could go away.
      availability: new DatabaseAvailability(null),
      poolStats: () => null,
      sharedBuffersMb,
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
