import { sql } from 'drizzle-orm';
import { queryRows } from './database';
import { createTestDb, testEngineName, type TestDb } from './testing';
import { textArray } from './text-array';

describe(`textArray (${testEngineName()})`, () => {
  let database: TestDb;

  beforeAll(async () => {
    database = await createTestDb({ migrate: false });
  });
  afterAll(async () => {
    await database.close();
  });

  it('round-trips any string: quotes, backslashes, commas, braces, spaces, non-ASCII, empty', async () => {
    const values = ['plain', 'with "quotes"', 'back\\slash', 'a,b', '{braces}', ' spaced ', 'héllo ✓', '', 'NULL'];
    const [row] = await queryRows<{ values: string[] }>(database.db, sql`select ${textArray(values)} as values`);
    expect(row.values).toEqual(values);
  });

  it('carries more values than the protocol has parameters', async () => {
    const values = Array.from({ length: 70_000 }, (_, index) => `src/file-${index}.ts`);
    const [row] = await queryRows<{ count: number; last: string }>(
      database.db,
      sql`select cardinality(${textArray(values)})::int as count, (${textArray(values)})[70000] as last`,
    );
    expect(row).toEqual({ count: 70_000, last: 'src/file-69999.ts' });
  });
});
