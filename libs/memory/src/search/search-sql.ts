import { sql, type SQL } from 'drizzle-orm';
import { toVectorLiteral } from '@mnemolite/embeddings';
import { whereClause, type EventFilters } from '../events/event-filters';
import { eventColumns } from '../events/event-row';

/**
 * The full-text configuration of queries. It must be the one `events.search_text` is generated with
 * (`simple`, see the events schema): a stemming configuration on one side only would stop matching.
 */
export const TEXT_SEARCH_CONFIG = 'simple';

/** Reciprocal Rank Fusion constant (Cormack et al.): damps the weight of the very first ranks. */
export const RRF_K = 60;

/** The best fused score possible: first on both sides. Dividing by it maps RRF onto 0..1. */
export const RRF_MAX = 2 / (RRF_K + 1);

export interface RankedSearch {
  filters: EventFilters;
  limit: number;
  offset: number;
}

const tsQuery = (query: string): SQL => sql`websearch_to_tsquery('simple'::regconfig, ${query})`;
const vectorParam = (vector: ArrayLike<number>): SQL => sql`${toVectorLiteral(vector)}::vector`;

/** Cosine distance (0..2) mapped to a similarity score in 0..1. */
const vectorScore = (distance: SQL): SQL => sql`1 - (${distance}) / 2`;

/**
 * Nearest events by cosine distance through the HNSW indexes. Filters sit in the same WHERE as the
 * distance ordering, so with iterative index scans (set by the caller) a selective filter still
 * yields `limit` rows. Iterative scans in `relaxed_order` may return rows slightly out of order: the
 * outer query sorts the candidates again.
 */
export function vectorSearchSql(search: RankedSearch & { vector: ArrayLike<number>; model: string }): SQL {
  const q = vectorParam(search.vector);
  return sql`select * from (
      select ${eventColumns()}, e.embedding <=> ${q} as distance
        from events e ${whereClause(search.filters, sql`e.embedding_model = ${search.model}`)}
       order by e.embedding <=> ${q}
       limit ${search.offset + search.limit}
    ) hits
    order by distance, id
    limit ${search.limit} offset ${search.offset}`;
}

/** Events matching the web-style query, by `ts_rank_cd` normalised to 0..1 (`rank / (rank + 1)`). */
export function lexicalSearchSql(search: RankedSearch & { query: string }): SQL {
  const tsq = tsQuery(search.query);
  return sql`select ${eventColumns()}, ts_rank_cd(e.search_text, ${tsq}, 32) as rank
      from events e ${whereClause(search.filters, sql`e.search_text @@ ${tsq}`)}
     order by rank desc, e."timestamp" desc, e.id
     limit ${search.limit} offset ${search.offset}`;
}

/**
 * Hybrid search in one statement: the vector and the lexical candidate lists (each `candidates` long,
 * filters applied inside both) fused with Reciprocal Rank Fusion. Each side's score is computed again
 * for the final rows, so `scores` shows both sides whenever they apply, not only for candidates.
 */
export function hybridSearchSql(
  search: RankedSearch & { vector: ArrayLike<number>; model: string; query: string; candidates: number },
): SQL {
  const q = vectorParam(search.vector);
  const tsq = tsQuery(search.query);
  return sql`with vector_side as (
      select id, "timestamp", row_number() over (order by distance, id) as rank from (
        select e.id, e."timestamp", e.embedding <=> ${q} as distance
          from events e ${whereClause(search.filters, sql`e.embedding_model = ${search.model}`)}
         order by e.embedding <=> ${q}
         limit ${search.candidates}
      ) hits
    ), lexical_side as (
      select id, "timestamp", row_number() over (order by rank desc, "timestamp" desc, id) as rank from (
        select e.id, e."timestamp", ts_rank_cd(e.search_text, ${tsq}, 32) as rank
          from events e ${whereClause(search.filters, sql`e.search_text @@ ${tsq}`)}
         order by rank desc, e."timestamp" desc, e.id
         limit ${search.candidates}
      ) hits
    ), fused as (
      select coalesce(v.id, l.id) as id, coalesce(v."timestamp", l."timestamp") as "timestamp",
             coalesce(1.0 / (${RRF_K} + v.rank), 0) + coalesce(1.0 / (${RRF_K} + l.rank), 0) as rrf
        from vector_side v full join lexical_side l on l.id = v.id and l."timestamp" = v."timestamp"
    )
    select ${eventColumns()}, f.rrf::float8 as rrf,
           case when e.embedding_model = ${search.model} then ${vectorScore(sql`e.embedding <=> ${q}`)} end as vector_score,
           case when e.search_text @@ ${tsq} then ts_rank_cd(e.search_text, ${tsq}, 32) end as lexical_score
      from fused f join events e on e.id = f.id and e."timestamp" = f."timestamp"
     order by f.rrf desc, e."timestamp" desc, e.id
     limit ${search.limit} offset ${search.offset}`;
}

/**
 * Session settings of one vector query, set transaction-locally (`SET LOCAL` semantics):
 * iterative index scans keep reading the HNSW graph until enough rows pass the filters (every vector
 * query filters, at least on the embedding model), and `ef_search` sizes the candidate list.
 */
export function vectorSettingsSql(efSearch: number): SQL {
  return sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true),
                    set_config('hnsw.ef_search', ${String(efSearch)}, true)`;
}
