import { sql } from 'drizzle-orm';
import type { Pool } from 'pg';
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

  it('parses a text once per connection and keeps it prepared', async () => {
    const executions = async () =>
      queryRows<{ statement: string; runs: number }>(
        handle.db,
        sql`select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements
             where name like 'mnemolite\_%' and statement like '%generate_series(1, 3)%'`,
      );
    if (engine === 'postgres') {
      const statements = await handle.db.transaction(async (tx) => {
        // One transaction, one connection: the second execution finds the statement already there.
        await queryPreparedRows(tx, query(1));
        await queryPreparedRows(tx, query(2));
        return queryRows<{ name: string; statement: string }>(
          tx,
          sql`select name, statement from pg_prepared_statements where name like 'mnemolite\_%'`,
        );
      });
      expect(statements).toHaveLength(1);
      expect(statements[0].statement).toContain('generate_series');
    } else {
      // PGlite has one session: prepared on the engine itself, unnamed inside a transaction.
      await queryPreparedRows(handle.db, query(1));
      const [before] = await executions();
      await queryPreparedRows(handle.db, query(3));
      await queryPreparedRows(handle.db, query(2));
      expect((await executions())[0].runs).toBe(before.runs + 2);
      await handle.db.transaction(async (tx) => {
        await queryPreparedRows(tx, query(1));
      });
      expect(await executions()).toEqual([{ statement: before.statement, runs: before.runs + 2 }]);
    }
  });

  it('gives the rows the unnamed statement gives, whatever the column types', async () => {
    const typed = (n: number) => sql`select ${n}::int as int, ${n}::bigint as big, ${n / 3}::float8 as float, ${n}::numeric(10, 2) as num,
        ${`text ${n}`}::text as text, ${JSON.stringify({ n, nested: [n, 'x'] })}::jsonb as json, ${n % 2 === 0} as bool,
        '2026-12-02T05:00:00Z'::timestamptz + make_interval(days => ${n}::int) as at, '2026-12-02'::date as day,
        interval '1 hour' * ${n}::int as span, ${`{a,b${n}}`}::text[] as list, null::text as nothing,
        gen_random_uuid() is not null as has_uuid`;
    for (const n of [1, 2, 7]) {
      expect(await queryPreparedRows(handle.db, typed(n))).toEqual(await queryRows(handle.db, typed(n)));
    }
  });

  it('still answers when the session lost the statement (DEALLOCATE, DISCARD ALL from a pooler)', async () => {
    expect(await queryPreparedRows(handle.db, query(2))).toHaveLength(2);
    if (engine === 'postgres') {
      // Every pooled connection loses its statements, whichever the next query takes.
      const pool = (handle.db as unknown as { $client: Pool }).$client;
      const connections = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
      await Promise.all(connections.map((connection) => connection.query('deallocate all')));
      connections.forEach((connection) => connection.release());
    } else {
      await handle.db.execute(sql`deallocate all`);
    }
    expect(await queryPreparedRows(handle.db, query(3))).toHaveLength(3);
    expect(await queryPreparedRows(handle.db, query(1))).toHaveLength(1);
  });

  it('runs between transactions, never inside one (PGlite has one session)', async () => {
    // A transaction that waits mid-way while prepared statements are issued: they must not see its
    // uncommitted row, and must not run inside it (a failure of theirs would abort it).
    await handle.db.execute(sql`create table if not exists prepared_probe (n int)`);
    const count = sql`select count(*)::int as n from prepared_probe`;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = handle.db.transaction(async (tx) => {
      await tx.execute(sql`insert into prepared_probe values (1)`);
      await held;
      await tx.execute(sql`insert into prepared_probe values (2)`);
    });
    const during = queryPreparedRows<{ n: number }>(handle.db, count);
    const failing = queryPreparedRows(handle.db, sql`select 1 / ${0}::int as boom`).catch((error: Error) => error);
    release();
    await transaction;
    if (engine === 'pglite') expect((await during)[0].n).toBe(2);
    else expect([0, 2]).toContain((await during)[0].n);
    expect(await failing).toBeInstanceOf(Error);
    expect((await queryPreparedRows<{ n: number }>(handle.db, count))[0].n).toBe(2);
    await handle.db.execute(sql`drop table prepared_probe`);
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
