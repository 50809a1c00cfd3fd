import { PgDialect } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { RRF_K, bestFusedScore, reciprocalRank, reciprocalRankFusionSql } from './rank-fusion';

describe('reciprocal rank fusion', () => {
  it('gives 1 / (k + rank) per list, and first on every list is the best there is', () => {
    expect(RRF_K).toBe(60);
    expect(reciprocalRank(1)).toBe(1 / 61);
    expect(reciprocalRank(3, 10)).toBe(1 / 13);
    expect(reciprocalRank(1) + reciprocalRank(1)).toBe(bestFusedScore(2));
  });

  it('builds the same formula in SQL, normalised to 0..1', () => {
    const query = new PgDialect().sqlToQuery(reciprocalRankFusionSql([sql`v.rank`, sql`l.rank`]));
    expect(query.sql).toBe('(coalesce(1.0 / ($1::float8 + v.rank), 0) + coalesce(1.0 / ($2::float8 + l.rank), 0)) / $3::float8');
    expect(query.params).toEqual([60, 60, 2 / 61]);
  });
});
