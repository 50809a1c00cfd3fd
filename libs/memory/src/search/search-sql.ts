import { sql, type SQL } from 'drizzle-orm';
import { toVectorLiteral } from '@mnemolite/embeddings';
import { whereClause, type EventFilters } from '../events/event-filters';
import { eventColumns } from '../events/event-row';
import { bm25Score, LEXICAL_CANDIDATE_BUDGET, lexicalMatchConditions, queryTermsSql, type LexicalQuery } from './bm25';

/** How hybrid search fuses its two ranked lists (see SEARCH.md for the measurements behind the default). */
export type Fusion =
  /** Reciprocal Rank Fusion (Cormack et al., 2009): sum of 1 / (k + rank) over the sides. */
  | { method: 'rrf'; k: number }
  /** Convex combination of each side's score, min-max normalised within its candidates. */
  | { method: 'weighted'; vectorWeight: number };

/**
 * The fusion hybrid search uses unless told otherwise, by the kind of text embedder. With the hash
 * embedder the vector side is a fuzzier copy of the lexical one: measured on LoCoMo (bench:recall,
 * SEARCH.md), a light vector weight is best and RRF loses 3 points of recall@10. Learned models could not
 * be measured here (no weights can be downloaded): they keep RRF with k = 60, the usual choice.
 */
export function defaultFusion(embedderMode: 'hash' | 'transformers'): Fusion {
  return embedderMode === 'hash' ? { method: 'weighted', vectorWeight: 0.2 } : { method: 'rrf', k: 60 };
}

export interface RankedSearch {
  filters: EventFilters;
  limit: number;
  offset: number;
}

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

/**
 * Lexical candidates (`candidates` of them at most) scored by BM25, best first: the relation
 * `lexical_side(id, "timestamp", score, rank)`. Needs `query_terms` (see `queryTermsSql`).
 */
function lexicalSideSql(query: LexicalQuery, filters: EventFilters, candidates: number): SQL {
  return sql`select id, "timestamp", score, row_number() over (order by score desc, "timestamp" desc, id) as rank from (
      select c.id, c."timestamp", ${bm25Score(sql`c.search_text`, query)} as score from (
        select e.id, e."timestamp", e.search_text
          from events e ${whereClause(filters, ...lexicalMatchConditions(query))}
         limit ${LEXICAL_CANDIDATE_BUDGET * 2}
      ) c
      order by score desc, c."timestamp" desc, c.id
      limit ${candidates}
    ) scored`;
}

/** Events ranked by BM25 over the analysed query, scores 0..1 (share of the best possible score). */
export function lexicalSearchSql(search: RankedSearch & { lexical: LexicalQuery }): SQL {
  return sql`with query_terms as (${queryTermsSql(search.lexical)}),
    lexical_side as (${lexicalSideSql(search.lexical, search.filters, search.offset + search.limit)})
    select ${eventColumns()}, l.score as rank
      from lexical_side l join events e on e.id = l.id and e."timestamp" = l."timestamp"
     order by l.rank
     limit ${search.limit} offset ${search.offset}`;
}

/** The fused score of a row of `vector_side v full join lexical_side l`, 0..1. */
function fusedScore(fusion: Fusion): SQL {
  if (fusion.method === 'rrf') {
    // The best fused score possible is first on both sides: dividing by it maps RRF onto 0..1.
    return sql`(coalesce(1.0 / (${fusion.k}::float8 + v.rank), 0) + coalesce(1.0 / (${fusion.k}::float8 + l.rank), 0)) / ${2 / (fusion.k + 1)}::float8`;
  }
  const normalised = (side: string, column: string) =>
    sql.raw(`coalesce((${side}.${column} - ${side}_range.low) / nullif(${side}_range.high - ${side}_range.low, 0), case when ${side}.id is null then 0 else 1 end)`);
  return sql`${fusion.vectorWeight}::float8 * ${normalised('v', 'similarity')} + ${1 - fusion.vectorWeight}::float8 * ${normalised('l', 'score')}`;
}

/**
 * Hybrid search in one statement: the vector and the lexical candidate lists (each `candidates` long,
 * filters applied inside both) fused by `fusion`. Each side's score is computed again for the final
 * rows, so `scores` shows both sides whenever they apply, not only for candidates. Without lexical
 * terms (a query of stop words only) the vector side stands alone.
 */
export function hybridSearchSql(
  search: RankedSearch & { vector: ArrayLike<number>; model: string; lexical: LexicalQuery | null; candidates: number; fusion: Fusion },
): SQL {
  const q = vectorParam(search.vector);
  const lexical = search.lexical;
  const lexicalCtes = lexical
    ? sql`, query_terms as (${queryTermsSql(lexical)}),
        lexical_side as (${lexicalSideSql(lexical, search.filters, search.candidates)})`
    : sql`, lexical_side as (select null::uuid as id, null::timestamptz as "timestamp", null::float8 as score, null::bigint as rank where false)`;
  return sql`with vector_side as (
      select id, "timestamp", 1 - distance / 2 as similarity, row_number() over (order by distance, id) as rank from (
        select e.id, e."timestamp", e.embedding <=> ${q} as distance
          from events e ${whereClause(search.filters, sql`e.embedding_model = ${search.model}`)}
         order by e.embedding <=> ${q}
         limit ${search.candidates}
      ) hits
    )${lexicalCtes},
    v_range as (select min(similarity) as low, max(similarity) as high from vector_side),
    l_range as (select min(score) as low, max(score) as high from lexical_side),
    fused as (
      select coalesce(v.id, l.id) as id, coalesce(v."timestamp", l."timestamp") as "timestamp",
             ${fusedScore(search.fusion)} as fused
        from vector_side v full join lexical_side l on l.id = v.id and l."timestamp" = v."timestamp"
        cross join v_range cross join l_range
    )
    select ${eventColumns()}, f.fused::float8 as fused,
           case when e.embedding_model = ${search.model} then ${vectorScore(sql`e.embedding <=> ${q}`)} end as vector_score,
           ${lexical ? sql`nullif(${bm25Score(sql`e.search_text`, lexical)}, 0)` : sql`null::float8`} as lexical_score
      from fused f join events e on e.id = f.id and e."timestamp" = f."timestamp"
     order by f.fused desc, e."timestamp" desc, e.id
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
