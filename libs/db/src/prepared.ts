import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { postgresErrorCode } from '@mnemolite/common';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { DatabaseExecutor } from './executor';
import { queryPgliteNamed } from './pglite-prepared';

/**
 * Distinct statement texts this process runs as named prepared statements; others run unnamed. Each
 * server connection prepares a text the first time it runs it and keeps it (with its cached plan,
 * measured at about 0.8 MB for a search over 17 partitions) for its life, so this bounds what every
 * connection can hold: at most this many statements.
 */
export const MAX_PREPARED_STATEMENTS = 24;

const dialect = new PgDialect();
/** PostgreSQL's "invalid SQL statement name": no prepared statement of that name in the session. */
const STATEMENT_MISSING = '26000';
const names = new Map<string, string>();

/** The name `text` is prepared under, or undefined once the bound is reached by other texts. */
export function preparedStatementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_PREPARED_STATEMENTS) return known;
  const name = `mnemolite_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  names.set(text, name);
  return name;
}

/**
 * Runs raw SQL as a named prepared statement and returns its rows, typed as the caller says (as
 * `queryRows`). On a server the connection parses the text once and PostgreSQL may then reuse a
 * generic plan instead of planning each execution (its `plan_cache_mode = auto` choice: after five
 * custom plans, the generic one when its cost is not higher). Planning a search over the monthly
 * partitions costs as much as running it (SEARCH.md, "Prepared statements"). Only for statements whose
 * best plan does not depend on their values: one whose plan does (a time window prunes partitions at
 * planning, a metadata filter's selectivity picks the index) should use `queryRows`. On PGlite, whose
 * API has no named statements, the statement is prepared through its protocol (pglite-prepared.ts)
 * when it runs on the engine itself; inside a transaction it runs unnamed.
 */
export async function queryPreparedRows<T>(db: DatabaseExecutor, query: SQL): Promise<T[]> {
  const compiled = dialect.sqlToQuery(query);
  const name = preparedStatementName(compiled.sql);
  const client = (db._.session as unknown as { client?: unknown }).client;
  if (client instanceof PGlite && name !== undefined) return queryPgliteNamed<T>(client, name, compiled.sql, compiled.params);
  try {
    const prepared = db._.session.prepareQuery(compiled, undefined, name, false);
    const result = (await prepared.execute()) as { rows: T[] };
    return result.rows;
  } catch (error) {
    // The server session lost the statement the driver believes it prepared (DEALLOCATE, DISCARD ALL
    // from a pooler): run it unnamed rather than fail the search.
    if (postgresErrorCode(error) !== STATEMENT_MISSING) throw error;
    const result = await db.execute(query);
    return result.rows as T[];
  }
}
