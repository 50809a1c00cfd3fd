import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDb } from '../client';
import type { DbHandle } from '../database';
import { runMigrations } from '../migrate';

export type TestDb = DbHandle;

/**
 * The engine the database tests run on: a real server when `TEST_DATABASE_URL` is set (a Citus
 * coordinator counts as "postgres" here; `createTestDb` makes its databases part of the cluster).
 */
export function testEngineName(): 'postgres' | 'pglite' {
  return process.env['TEST_DATABASE_URL'] ? 'postgres' : 'pglite';
}

/**
 * A throwaway, migrated database for one test file: an in-memory PGlite, or — when
 * `TEST_DATABASE_URL` points at a server — a new database created there and dropped on `close()`.
 */
export async function createTestDb(options: { migrate?: boolean } = {}): Promise<TestDb> {
  const serverUrl = process.env['TEST_DATABASE_URL'];
  const handle = serverUrl ? await createServerDatabase(serverUrl) : await createDb({ engine: 'pglite', dataDir: 'memory://' });
  if (options.migrate !== false) await runMigrations(handle);
  return handle;
}

async function createServerDatabase(serverUrl: string): Promise<DbHandle> {
  const scratch = await createScratchDatabase(serverUrl, 'mnemolite_test');
  const handle = await createDb({ engine: 'postgres', url: scratch.url, poolMax: 5 });
  return {
    ...handle,
    async close() {
      await handle.close();
      await scratch.drop();
    },
  };
}

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Whether it was made on a Citus coordinator (then it is part of the cluster, on every node). */
  citus: boolean;
  drop(): Promise<void>;
}

/**
 * A new, empty database on the server of `serverUrl` (tests, benchmarks). On a Citus coordinator it is
 * created on every node and joins the cluster (the extension created, the coordinator and the workers
 * registered in it), so that migrations distribute its tables. `drop()` removes it (on every node).
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const workers = await withAdminClient(serverUrl, async (client) => {
    const citus = await citusWorkers(client);
    // On a Citus coordinator the database is made on every node (tools/pg/citus-cluster.sh).
    if (citus) await client.query('SET citus.enable_create_database_propagation = on');
    await client.query(`CREATE DATABASE ${name}`);
    return citus;
  });
  if (workers) await joinCitusCluster(url, workers);
  return {
    name,
    url: url.toString(),
    citus: workers !== null,
    async drop() {
      await withAdminClient(serverUrl, async (client) => {
        if (!workers) return client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query('SET citus.enable_create_database_propagation = on');
        // A worker may still hold the coordinator's pooled connections of a failed transaction for a
        // moment (FORCE only ends sessions on the node that runs the DROP): retry briefly.
        for (let attempt = 1; ; attempt++) {
          try {
            return await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          } catch (error) {
            if (attempt >= 10 || !/being accessed by other users/.test(String(error))) throw error;
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      });
    },
  };
}

interface CitusNode {
  host: string;
  port: number;
}

/** The workers of the coordinator `client` is connected to, or null when it is not a Citus coordinator. */
async function citusWorkers(client: Client): Promise<CitusNode[] | null> {
  const { rows } = await client.query<{ installed: boolean }>(
    `select exists (select 1 from pg_extension where extname = 'citus') as installed`,
  );
  if (!rows[0]?.installed) return null;
  const nodes = await client.query<{ host: string; port: number }>(
    `select nodename as host, nodeport as port from pg_dist_node
      where noderole = 'primary' and isactive and groupid <> 0 order by nodeid`,
  );
  return nodes.rows;
}

/**
 * Citus keeps its metadata per database: a new database joins the cluster by creating the extension
 * on every node, then registering the coordinator and the workers in it.
 */
async function joinCitusCluster(databaseUrl: URL, workers: CitusNode[]): Promise<void> {
  for (const worker of workers) {
    const url = new URL(databaseUrl);
    url.hostname = worker.host;
    url.port = String(worker.port);
    await withAdminClient(url.toString(), (client) => client.query('CREATE EXTENSION IF NOT EXISTS citus'));
  }
  await withAdminClient(databaseUrl.toString(), async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS citus');
    await client.query('select citus_set_coordinator_host($1, $2)', [databaseUrl.hostname, Number(databaseUrl.port || 5432)]);
    for (const worker of workers) await client.query('select citus_add_node($1, $2)', [worker.host, worker.port]);
  });
}

async function withAdminClient<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
