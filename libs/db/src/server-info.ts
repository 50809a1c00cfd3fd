import { sql } from 'drizzle-orm';
import { queryRows, type DbHandle, type Engine } from './database';

/** What `/health` calls the engine: a PostgreSQL server with the citus extension is "citus". */
export type ReportedEngine = Engine | 'citus';

export interface DatabaseStatus {
  ok: boolean;
  engine: ReportedEngine;
  /** Only on a Citus coordinator: the extension's version and the number of active workers. */
  citus?: { version: string; workers: number };
  server_version: string | null;
  latency_ms: number | null;
  extensions: { vector: string | null; pg_trgm: string | null; pg_partman: string | null };
  /** A short reason for operators, never the statement or the driver's message. */
  error?: string;
}

/**
 * Probes the database for `/health`: one round trip that also reports the server version and the
 * versions of the extensions MnemoLite uses. Never throws: a failure is reported as `ok: false`.
 */
export async function describeDatabase(handle: DbHandle, timeoutMs = 2000): Promise<DatabaseStatus> {
  const started = performance.now();
  // While the server is known to be down, say so without queueing a probe on the pool.
  if (!handle.availability.available) return unavailable(handle, 'the database cannot be reached');
  try {
    const probe = async () => {
      const [row] = await queryRows<{ server_version: string; extensions: Record<string, string> | null }>(
        handle.db,
        sql`select current_setting('server_version') as server_version,
                   (select json_object_agg(extname, extversion) from pg_extension
                     where extname in ('vector', 'pg_trgm', 'pg_partman', 'citus')) as extensions`,
      );
      // pg_dist_node exists only where the citus extension is created: asked only then.
      const workers = row?.extensions?.['citus']
        ? (
            await queryRows<{ workers: number }>(
              handle.db,
              sql`select count(*)::int as workers from pg_dist_node
                   where noderole = 'primary' and isactive and groupid <> 0`,
            )
          )[0]?.workers
        : undefined;
      return { row, workers };
    };
    const { row, workers } = await withTimeout(probe(), timeoutMs);
    const extensions = row?.extensions ?? {};
    const citusVersion = extensions['citus'];
    if (citusVersion) citusHandles.add(handle);
    return {
      ok: true,
      engine: citusVersion ? 'citus' : handle.engine,
      ...(citusVersion ? { citus: { version: citusVersion, workers: workers ?? 0 } } : {}),
      server_version: row?.server_version ?? null,
      latency_ms: Math.round((performance.now() - started) * 100) / 100,
      extensions: {
        vector: extensions['vector'] ?? null,
        pg_trgm: extensions['pg_trgm'] ?? null,
        pg_partman: extensions['pg_partman'] ?? null,
      },
    };
  } catch (error) {
    const lostConnection = handle.availability.report(error);
    return unavailable(
      handle,
      error instanceof ProbeTimeout
        ? `the database did not answer within ${timeoutMs} ms`
        : lostConnection
          ? 'the database cannot be reached'
          : 'the database rejected the health probe',
    );
  }
}

/** Handles last seen on a Citus coordinator: the engine is still named right while the server is away. */
const citusHandles = new WeakSet<DbHandle>();

function unavailable(handle: DbHandle, reason: string): DatabaseStatus {
  return {
    ok: false,
    engine: citusHandles.has(handle) ? 'citus' : handle.engine,
    server_version: null,
    latency_ms: null,
    extensions: { vector: null, pg_trgm: null, pg_partman: null },
    error: reason,
  };
}

class ProbeTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
