import { sql, type SQL } from 'drizzle-orm';

/**
 * A list of strings as one `text[]` parameter, however long: a list of one parameter per value
 * (`in ($1, $2, …)`) fails past the protocol's 65,535 parameters, and this form is the same on both
 * engines (the value is an array literal, cast by the server).
 */
export function textArray(values: readonly string[]): SQL {
  const literal = `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
  return sql`${literal}::text[]`;
}
