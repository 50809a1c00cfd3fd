import { sql } from 'drizzle-orm';
import { queryRows } from '@mnemolite/db';
import { testEngineName, type TestDb } from '@mnemolite/db/testing';
import { createMemoryTestDb } from '../testing';
import { BM25, bm25Score, type LexicalQuery } from './bm25';

const engine = testEngineName();

/** A query of two lexemes with fixed statistics: the score is then a pure function of the text. */
const query: LexicalQuery = {
  terms: [
    { lexeme: 'harbour', df: 12, idf: 2.25 },
    { lexeme: "o'neil", df: 40, idf: 0.8 },
  ],
  averageLength: 20,
  candidateLexemes: ['harbour'],
  bestMatchLexemes: null,
  constraint: null,
  maxScore: (2.25 + 0.8) * (BM25.k1 + 1),
  docs: 1000,
  candidateLimit: 2000,
};

/** Textbook BM25 of one event from its term frequencies and length, divided by the query's best score. */
function expectedScore(tf: Record<string, number>, length: number): number {
  const { k1, b } = BM25;
  const saturation = k1 * (1 - b + (b * length) / query.averageLength);
  const sum = query.terms.reduce((total, term) => {
    const count = tf[term.lexeme] ?? 0;
    return total + (term.idf * count * (k1 + 1)) / (count + saturation);
  }, 0);
  return sum / query.maxScore;
}

describe(`bm25Score (${engine})`, () => {
  let database: TestDb;

  beforeAll(async () => {
    database = await createMemoryTestDb();
  });
  afterAll(async () => {
    await database.close();
  });

  it('equals textbook BM25 for every term frequency a tsvector can hold (0..256 positions), with or without positions', async () => {
    // Vectors with n positions of one lexeme and n % 7 of another (a quote in it, as lexemes may have),
    // stored with and without positions; the frequencies are read back as the statistics count them.
    const rows = await queryRows<{ n: number; stripped: boolean; tf_a: number; tf_b: number; length: number; score: number }>(
      database.db,
      sql`with vectors as (
            select n, (case when n > 0 then 'harbour:' || (select string_agg(i::text, ',') from generate_series(1, n) i) else '' end
                       || case when n % 7 > 0 then ' ' || ${"'o''neil':"} || (select string_agg(i::text, ',') from generate_series(1000, 999 + n % 7) i) else '' end
                       || ' filler:2000')::tsvector as v
              from generate_series(0, 300) as n
          ), texts as (
            select n, stripped, case when stripped then strip(v) else v end as search_text,
                   (select sum(coalesce(cardinality(u.positions), 1)) from unnest(case when stripped then strip(v) else v end) u)::int as length
              from vectors, (values (false), (true)) as s(stripped)
          )
          select n, stripped, length,
                 coalesce((select coalesce(cardinality(u.positions), 1) from unnest(search_text) u where u.lexeme = 'harbour'), 0)::int as tf_a,
                 coalesce((select coalesce(cardinality(u.positions), 1) from unnest(search_text) u where u.lexeme = ${"o'neil"}), 0)::int as tf_b,
                 ${bm25Score(sql`search_text`, sql`length`, query)} as score
            from texts order by stripped, n`,
    );
    expect(rows).toHaveLength(602);
    // The texts cover every frequency up to the 256 positions a lexeme keeps, and the stripped ones count 1.
    expect(Math.max(...rows.map((row) => row.tf_a))).toBe(256);
    expect(new Set(rows.filter((row) => !row.stripped).map((row) => row.tf_b))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    expect(rows.filter((row) => row.stripped && row.n > 0).every((row) => row.tf_a === 1)).toBe(true);
    for (const row of rows) {
      const expected = expectedScore({ harbour: row.tf_a, "o'neil": row.tf_b }, row.length);
      expect({ n: row.n, stripped: row.stripped, score: Number(row.score) }).toEqual({
        n: row.n,
        stripped: row.stripped,
        score: expect.closeTo(expected, 12),
      });
    }
  });
});
