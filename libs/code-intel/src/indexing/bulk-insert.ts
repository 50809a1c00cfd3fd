import { sql } from 'drizzle-orm';
import type { Database } from '@mnemolite/db';

/** Rows per statement: a few MB of JSON at most, even with two 768-d vectors per chunk. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Inserts rows passed as one JSON parameter and expanded by `json_to_recordset`: one bind
 * parameter per statement instead of one per value, and no per-row query building, which made
 * ORM-built multi-row inserts the bottleneck of indexing. `select` maps the record `r` to the
 * target columns (so SQL can derive values, such as `to_tsvector`, on the server).
 */
export async function insertJsonRows(
  tx: Database,
  table: 'code_files' | 'code_chunks' | 'nodes' | 'edges',
  columns: string,
  recordType: string,
  select: string,
  rows: object[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const json = JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT));
    await tx.execute(
      sql`INSERT INTO ${sql.raw(table)} (${sql.raw(columns)}) SELECT ${sql.raw(select)} FROM json_to_recordset(${json}::json) AS r(${sql.raw(recordType)})`,
    );
  }
}
