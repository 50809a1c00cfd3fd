import { sql } from 'drizzle-orm';
import { createTestDb, testEngineName, type TestDb } from './testing';
import { queryRows } from './database';
import { MAX_PREPARED_STATEMENTS, preparedStatementName, queryPreparedRows } from './prepared';

const engine = testEngineName();

describe(`prepared statements (${engine})`, () => {
  let handle: TestDb;

  beforeAll(async () => {
    handle = await createTestDb({ migrate: false });
  });
  afterAll(async () => {
    await handle.close();
  });

  const query = (value: number) => sql`select g as n, ${value}::int as v from generate_series(1, 3) as g where g <= ${value}::int`;

  it('answers as the unnamed statement does, whatever the values', async () => {
    for (const value of [1, 3, 2, 0, 3, 1, 2]) {
      expect(await queryPreparedRows(handle.db, query(value))).toEqual(await queryRows(handle.db, query(value)));
    }
  });

  it('parses a text once per connection and keeps it prepared (a server; PGlite runs it unnamed)', async () => {
    const statements = await handle.db.transaction(async (tx) => {
      // One transaction, one connection: the second execution finds the statement already there.
      await queryPreparedRows(tx, query(1));
      await queryPreparedRows(tx, query(2));
      return queryRows<{ name: string; statement: string }>(
        tx,
        sql`select name, statement from pg_prepared_statements where name like 'mnemolite\_%'`,
      );
    });
    if (engine === 'postgres') {
      expect(statements).toHaveLength(1);
      expect(statements[0].statement).toContain('generate_series');
    } else {
      expect(statements).toEqual([]);
    }
  });

  it(`names at most ${MAX_PREPARED_STATEMENTS} distinct texts; the rest run unnamed`, () => {
    const first = preparedStatementName('select 1 as first');
    expect(first).toMatch(/^mnemolite_[0-9a-f]{24}$/);
    const names = Array.from({ length: MAX_PREPARED_STATEMENTS + 5 }, (_, i) => preparedStatementName(`select ${i + 2} as n`));
    const named = new Set(names.filter((name) => name !== undefined));
    expect(named.size).toBeLessThan(MAX_PREPARED_STATEMENTS);
    expect(names.filter((name) => name === undefined).length).toBeGreaterThan(0);
    // A text named before the bound keeps its name.
    expect(preparedStatementName('select 1 as first')).toBe(first);
  });
});
