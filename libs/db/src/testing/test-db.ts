import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDb } from '../client';
import type { DbHandle } from '../database';
import { runMigrations } from '../migrate';

export type TestDb = DbHandle;

/** The engine the database tests run on: a real server when `TEST_DATABASE_URL` is set. */
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
  const name = `mnemolite_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await createDb({ engine: 'postgres', url: url.toString(), poolMax: 5 });
  return {
    ...handle,
    async close() {
      await handle.close();
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
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
