import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { detectCitus, distributeTables, type CitusDistributionReport } from './citus';
import { queryRows, type DbHandle } from './database';

/** Any 64-bit number unique to this application; serialises concurrent migrators on one server. */
const MIGRATION_LOCK_KEY = 7_104_301_877;

/**
 * Where the committed SQL migrations are: `preferred` (an app's MNEMO_MIGRATIONS_DIR) when it holds
 * them, else next to the bundled app (copied there as build assets), else in the library's own folder
 * when running from source.
 */
export function resolveMigrationsDir(preferred?: string): string {
  const candidates = [preferred, join(__dirname, 'migrations'), join(__dirname, '..', 'migrations')].filter((dir): dir is string =>
    Boolean(dir),
  );
  const found = candidates.find((dir) => existsSync(join(dir, 'meta', '_journal.json')));
  if (!found) {
    throw new Error(`No database migrations found; looked in: ${candidates.join(', ')}`);
  }
  return found;
}

export interface MigrationResult {
  /** Migrations applied by this call. */
  applied: number;
  /** Migrations known to the code. */
  total: number;
  /** On a Citus coordinator: what the distribution step did (absent on PostgreSQL and PGlite). */
  citus?: CitusDistributionReport;
}

/**
 * Applies pending migrations, all in one transaction, recording them in drizzle-kit's own table
 * (`drizzle.__drizzle_migrations`) so the two tools agree. Idempotent, and safe when several
 * processes start at once against one server: a transaction-scoped advisory lock makes them take
 * turns, and the later ones find nothing left to do. On a Citus coordinator the schema is then
 * distributed by namespace (`distributeTables`, see docs/citus.md).
 */
export async function runMigrations(
  handle: DbHandle,
  migrationsDir?: string,
  options: {
    /**
     * On a Citus coordinator, distribute the schema after migrating (default true). False leaves the
     * tables local on the coordinator, as a version without Citus support did: the next run with the
     * default distributes them, data included (how an existing database moves onto Citus).
     */
    distribute?: boolean;
  } = {},
): Promise<MigrationResult> {
  const migrations = readMigrationFiles({ migrationsFolder: resolveMigrationsDir(migrationsDir) });
  const citus = handle.engine === 'postgres' ? await detectCitus(handle.db) : null;
  const result = await handle.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    // Later migrations may create triggers on tables that are already distributed (docs/citus.md).
    if (citus) await tx.execute(sql`SET LOCAL citus.enable_unsafe_triggers = on`);
    await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS drizzle`);
    await tx.execute(sql`
      CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
        id SERIAL PRIMARY KEY,
        hash text NOT NULL,
        created_at bigint
      )`);
    const [last] = await queryRows<{ created_at: string | number }>(
      tx,
      sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    const lastApplied = last ? Number(last.created_at) : -1;
    let applied = 0;
    for (const migration of migrations) {
      if (migration.folderMillis <= lastApplied) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      );
      applied++;
    }
    return { applied, total: migrations.length };
  });
  // On a Citus coordinator the tables are created locally by the migrations, then distributed by
  // namespace (idempotent: a distributed schema is left as it is).
  if (citus && options.distribute !== false) return { ...result, citus: await distributeTables(handle.db) };
  return result;
}
