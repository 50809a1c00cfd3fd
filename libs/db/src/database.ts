import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { DatabaseAvailability } from './availability';
import type * as schema from './schema';

export type Schema = typeof schema;

/** A Drizzle database on either engine; both share the PostgreSQL dialect and this schema. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type Engine = 'postgres' | 'pglite';

/** What `createDb` hands out: the Drizzle handle, the engine behind it, and how to release it. */
export interface DbHandle {
  db: Database;
  engine: Engine;
  /** Whether the server can be reached now; requests should answer 503 at once while it cannot. */
  availability: DatabaseAvailability;
  /** Connection pool counts (server engine); null for the embedded engine, which has one session. */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  close(): Promise<void>;
}

/**
 * Runs raw SQL and returns its rows. node-postgres and PGlite both answer with `{ rows }`; this
 * hides the difference in their result types.
 */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
