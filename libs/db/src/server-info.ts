import { sql } from 'drizzle-orm';
import { queryRows, type DbHandle, type Engine } from './database';

export interface DatabaseStatus {
  ok: boolean;
  engine: Engine;
  server_version: string | null;
  latency_ms: number | null;
  extensions: { vector: string | null; pg_trgm: string | null; pg_partman: string | null };
  error?: string;
}

/**
 * Probes the database for `/health`: one round trip that also reports the server version and the
 * versions of the extensions MnemoLite uses. Never throws: a failure is reported as `ok: false`.
 */
export async function describeDatabase(handle: DbHandle, timeoutMs = 2000): Promise<DatabaseStatus> {
  const started = performance.now();
  try {
    const probe = queryRows<{ server_version: string; extensions: Record<string, string> | null }>(
      handle.db,
      sql`select current_setting('server_version') as server_version,
                 (select json_object_agg(extname, extversion) from pg_extension
                   where extname in ('vector', 'pg_trgm', 'pg_partman')) as extensions`,
    );
    const [row] = await withTimeout(probe, timeoutMs);
    const extensions = row?.extensions ?? {};
    return {
      ok: true,
      engine: handle.engine,
      server_version: row?.server_version ?? null,
      latency_ms: Math.round((performance.now() - started) * 100) / 100,
      extensions: {
        vector: extensions['vector'] ?? null,
        pg_trgm: extensions['pg_trgm'] ?? null,
        pg_partman: extensions['pg_partman'] ?? null,
      },
    };
  } catch (error) {
    return {
      ok: false,
      engine: handle.engine,
      server_version: null,
      latency_ms: null,
      extensions: { vector: null, pg_trgm: null, pg_partman: null },
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
