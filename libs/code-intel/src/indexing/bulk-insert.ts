import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Transaction } from '@mnemolite/db';

/** Rows per statement: a few MB of JSON at most, even with two 768-d vectors per chunk. */
const ROWS_PER_STATEMENT = 1000;

/**
 * A column whose value SQL computes on the server from fields of record `r` that are not columns of the
 * table (such as a `tsvector` built from text parts): `inputs` names those fields with their SQL types.
 */
export interface ComputedColumn {
  inputs: Record<string, string>;
  expression: string;
}

/**
 * Inserts rows passed as one JSON parameter and expanded by `json_to_recordset`: one bind parameter
 * per statement instead of one per value, and no per-row query building, which made ORM-built
 * multi-row inserts the bottleneck of indexing. The rows are keyed by the table's Drizzle property
 * names; the columns written, their names and their SQL types come from the table definition (the
 * keys of the first row: rows of one call have the same shape), plus the `computed` ones.
 */
export async function insertJsonRows<TTable extends PgTable>(
  tx: Transaction,
  table: TTable,
  rows: readonly Partial<TTable['$inferInsert']>[],
  computed: Partial<Record<keyof TTable['$inferInsert'], ComputedColumn>> = {},
): Promise<void> {
  if (rows.length === 0) return;
  const columns: Record<string, PgColumn> = getTableColumns(table);
  const computedColumns = Object.entries(computed) as [string, ComputedColumn][];
  const inputs = new Map(computedColumns.flatMap(([, column]) => Object.entries(column.inputs)));
  const fields: SQL[] = [];
  const targets: SQL[] = [];
  const values: SQL[] = [];
  for (const key of Object.keys(rows[0])) {
    const column = columns[key];
    const field = sql.identifier(key);
    if (column) {
      fields.push(sql`${field} ${sql.raw(column.getSQLType())}`);
      targets.push(sql`${sql.identifier(column.name)}`);
      values.push(sql`r.${field}`);
    } else if (inputs.has(key)) {
      fields.push(sql`${field} ${sql.raw(inputs.get(key) as string)}`);
    } else {
      throw new Error(`insertJsonRows: "${key}" is neither a column of the table nor an input of a computed column.`);
    }
  }
  for (const [key, column] of computedColumns) {
    targets.push(sql`${sql.identifier(columns[key].name)}`);
    values.push(sql.raw(column.expression));
  }
  const recordType = sql.join(fields, sql`, `);
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const json = JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT));
    await tx.execute(
      sql`insert into ${table} (${sql.join(targets, sql`, `)}) select ${sql.join(values, sql`, `)} from json_to_recordset(${json}::json) as r(${recordType})`,
    );
  }
}
