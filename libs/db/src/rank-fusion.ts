import { sql, type SQL } from 'drizzle-orm';

/**
 * Reciprocal Rank Fusion (Cormack et al., 2009): an item's fused score is the sum, over the ranked
 * lists it is in, of 1 / (k + rank), rank 1-based. k = 60 is the usual choice (a larger k narrows the
 * gap between the first ranks). Memory search (with learned models) and code search both fuse with it.
 */
export const RRF_K = 60;

/** One list's share of the fused score of an item at `rank` (1-based). */
export function reciprocalRank(rank: number, k: number = RRF_K): number {
  return 1 / (k + rank);
}

/** The best fused score there is over `lists` lists (first in every one): dividing by it maps RRF onto 0..1. */
export function bestFusedScore(lists: number, k: number = RRF_K): number {
  return lists / (k + 1);
}

/**
 * The fused score, 0..1, of rows ranked by the SQL expressions `ranks` (1-based; null where the row is
 * not in that list).
 */
export function reciprocalRankFusionSql(ranks: SQL[], k: number = RRF_K): SQL {
  const shares = ranks.map((rank) => sql`coalesce(1.0 / (${k}::float8 + ${rank}), 0)`);
  return sql`(${sql.join(shares, sql` + `)}) / ${bestFusedScore(ranks.length, k)}::float8`;
}
