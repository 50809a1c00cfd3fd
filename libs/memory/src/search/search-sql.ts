import { sql, type SQL } from 'drizzle-orm';
import { RRF_K, reciprocalRankFusionSql } from '@mnemolite/db';
import { toVectorLiteral } from '@mnemolite/embeddings';
import { whereClause, type EventFilters } from '../events/event-filters';
import { eventColumns } from '../events/event-row';
import { bm25Score, lexicalCandidateConditions, type LexicalQuery } from './bm25';

/** Conversation context of lexical and hybrid ranking (see `contextCtes`). */
export const CONTEXT = {
  /** Share of the best neighbor's relative lexical score added to a row's own score. */
  weight: 0.8,
  /** Neighbors looked at on each side. */
  neighbors: 2,
  /** Events further apart than this are not each other's context. */
  window: '1 hour',
  /** Rows re-ranked (at least `offset + limit`). */
  rerank: 50,
} as const;

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
 * be measured here (no weights can be downloaded): they keep RRF with k = `RRF_K` (60), the usual choice.
 */
export function defaultFusion(embedderMode: 'hash' | 'transformers'): Fusion {
  return embedderMode === 'hash' ? { method: 'weighted', vectorWeight: 0.1 } : { method: 'rrf', k: RRF_K };
}

export interface RankedSearch {
  /** The one namespace searched: candidates, context neighbors and final rows all come from it. */
  namespace: string;
  filters: EventFilters;
  limit: number;
  offset: number;
}

/**
 * Whether a cosine distance exists. A vector of no feature (the hash embedder's vector of a text of
 * stop words only) has none: its distance is NaN, which PostgreSQL sorts after every number. Such rows
 * are never vector matches: one NaN in a hybrid side made its min-max range, hence every fused score, NaN.
 */
const hasCosine = (distance: SQL): SQL => sql`${distance} <> 'NaN'::float8`;

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
        from events e ${whereClause(search.namespace, search.filters, sql`e.embedding_model = ${search.model}`)}
       order by e.embedding <=> ${q}
       limit ${search.offset + search.limit}
    ) hits
    where ${hasCosine(sql`distance`)}
    order by distance, id
    limit ${search.limit} offset ${search.offset}`;
}

/**
 * Lexical candidates scored by BM25: `lexical_scored(id, "timestamp", score)` holds every candidate
 * (for context, see below), `lexical_side(id, "timestamp", score, rank)` the best `candidates` of them.
 */
function lexicalCtes(query: LexicalQuery, namespace: string, filters: EventFilters, candidates: number): SQL {
  // Each list in turn (best matches first) until `candidateLimit` events: a plain Append runs its
  // children in order and stops reading when the limit is reached.
  const lists = lexicalCandidateConditions(query).map(
    (conditions) => sql`select e.id, e."timestamp", e.search_text, e.search_length
          from events e ${whereClause(namespace, filters, ...conditions)}
         limit ${query.candidateLimit}`,
  );
  const scanned = lists.length === 1 ? lists[0] : sql`(${sql.join(lists, sql`) union all (`)}) limit ${query.candidateLimit}`;
  return sql`lexical_scored as (
      select c.id, c."timestamp", ${bm25Score(sql`c.search_text`, sql`c.search_length`, query)} as score from (
        ${scanned}
      ) c
    ),
    -- Materialised: hybrid reads it once, inside the context bonus, where an inlined aggregate became
    -- the inner side of a nested loop and re-read every candidate for each neighbor (29 x 600 rows).
    lexical_best as materialized (select max(score) as best from lexical_scored),
    lexical_side as (
      select id, "timestamp", score, row_number() over (order by score desc, "timestamp" desc, id) as rank
        from lexical_scored
       order by score desc, "timestamp" desc, id
       limit ${candidates}
    )`;
}

/**
 * Conversation context: memories are a stream, and the turn that answers a question usually sits
 * next to other turns about the same thing. The best `CONTEXT.rerank` rows of `ranked(id, "timestamp",
 * score)` gain `CONTEXT.weight` times the best lexical score (relative to the best candidate) among
 * their neighbors: the `CONTEXT.neighbors` events just before and just after them, within the same
 * filters and within `CONTEXT.window`. Only rows already ranked move; no row is added. Measured in
 * SEARCH.md. Gives `contextual(id, "timestamp", score)`, score 0..1.
 */
function contextCtes(ranked: string, namespace: string, filters: EventFilters, wanted: number): SQL {
  const side = (direction: 'before' | 'after') => {
    // The orderings are those of the (namespace, timestamp desc nulls last) index, read forwards or
    // backwards, so each probe is an ordered index scan that stops after `CONTEXT.neighbors` rows. A
    // plain `desc` (nulls first) cannot use that index and reads the whole window, then sorts it.
    const [compare, order, bound] =
      direction === 'before'
        ? ['<', 'desc nulls last', `- interval '${CONTEXT.window}'`]
        : ['>', 'asc nulls first', `+ interval '${CONTEXT.window}'`];
    return sql`select e.id, e."timestamp" from events e
        ${whereClause(
          namespace,
          filters,
          sql.raw(`e."timestamp" ${compare} t."timestamp"`),
          sql.raw(`e."timestamp" ${direction === 'before' ? '>=' : '<='} t."timestamp" ${bound}`),
        )}
        order by e."timestamp" ${sql.raw(order)} limit ${CONTEXT.neighbors}`;
  };
  return sql`context_top as (
      select id, "timestamp", score from ${sql.raw(ranked)} order by score desc, "timestamp" desc, id
       limit ${Math.max(CONTEXT.rerank, wanted)}
    ),
    -- Materialised: the neighbors are found first, then joined with the scored candidates once. Inlined,
    -- the planner could join them inside the loop over re-ranked rows and scan every candidate again
    -- for each row (50 x 400 rows at 20,000 events: half of a lexical query's execution time).
    context_neighbors as materialized (
      select t.id, t."timestamp", n.id as neighbor_id, n."timestamp" as neighbor_timestamp
        from context_top t cross join lateral ((${side('before')}) union all (${side('after')})) n
    ),
    -- Materialised too: each bonus is computed once and the re-ranked rows are joined with them by
    -- hash. Inlined, the planner could re-sort and re-aggregate the bonuses for each of the 50 rows.
    context_bonus as materialized (
      select n.id, n."timestamp", max(s.score / nullif(b.best, 0)) as bonus
        from context_neighbors n
        join lexical_scored s on s.id = n.neighbor_id and s."timestamp" = n.neighbor_timestamp
        cross join lexical_best b
       group by n.id, n."timestamp"
    ),
    contextual as (
      select t.id, t."timestamp", (t.score + ${CONTEXT.weight}::float8 * coalesce(c.bonus, 0)) / ${1 + CONTEXT.weight}::float8 as score
        from context_top t left join context_bonus c on c.id = t.id and c."timestamp" = t."timestamp"
    )`;
}

/**
 * Events ranked by BM25 over the analysed query, then by conversation context (`contextCtes`). `rank`
 * is the final score, `lexical` the event's own BM25 share of the best possible score (0..1).
 */
export function lexicalSearchSql(search: RankedSearch & { lexical: LexicalQuery }): SQL {
  const wanted = search.offset + search.limit;
  return sql`with ${lexicalCtes(search.lexical, search.namespace, search.filters, Math.max(wanted, CONTEXT.rerank))},
    lexical_ranked as (select id, "timestamp", score / nullif((select best from lexical_best), 0) as score from lexical_side),
    ${contextCtes('lexical_ranked', search.namespace, search.filters, wanted)}
    select ${eventColumns()}, c.score as rank, l.score as lexical
      from contextual c
      join lexical_side l on l.id = c.id and l."timestamp" = c."timestamp"
      join events e on e.namespace = ${search.namespace} and e.id = c.id and e."timestamp" = c."timestamp"
     order by c.score desc, e."timestamp" desc, e.id
     limit ${search.limit} offset ${search.offset}`;
}

/** The fused score of a row of `vector_side v full join lexical_side l`, 0..1. */
function fusedScore(fusion: Fusion): SQL {
  if (fusion.method === 'rrf') return reciprocalRankFusionSql([sql`v.rank`, sql`l.rank`], fusion.k);
  const normalised = (side: string, column: string) =>
    sql.raw(
      `coalesce((${side}.${column} - ${side}_range.low) / nullif(${side}_range.high - ${side}_range.low, 0), case when ${side}.id is null then 0 else 1 end)`,
    );
  return sql`${fusion.vectorWeight}::float8 * ${normalised('v', 'similarity')} + ${1 - fusion.vectorWeight}::float8 * ${normalised('l', 'score')}`;
}

/**
 * Hybrid search in one statement: the vector and the lexical candidate lists (each `candidates` long,
 * filters applied inside both) fused by `fusion`; the vector list is the HNSW walk's or the lexical
 * candidates rescored (`vectorCandidates`). Each side's score is computed again for the final rows, so
 * `scores` shows both sides whenever they apply, not only for candidates; each row also carries the
 * count of lexical candidates. Without lexical terms (a query of stop words only) the vector side
 * stands alone.
 */
export function hybridSearchSql(
  search: RankedSearch & {
    vector: ArrayLike<number>;
    model: string;
    lexical: LexicalQuery | null;
    candidates: number;
    fusion: Fusion;
    /** Where the vector side's candidates come from; the walk without lexical terms. */
    vectorCandidates: VectorCandidates;
  },
): SQL {
  const q = vectorParam(search.vector);
  const lexical = search.lexical;
  const lexicalPart = lexical
    ? lexicalCtes(lexical, search.namespace, search.filters, search.candidates)
    : sql`lexical_scored as (select null::uuid as id, null::timestamptz as "timestamp", null::float8 as score where false),
        lexical_best as (select null::float8 as best),
        lexical_side as (select null::uuid as id, null::timestamptz as "timestamp", null::float8 as score, null::bigint as rank where false)`;
  const walk = sql`select e.id, e."timestamp", e.embedding <=> ${q} as distance
          from events e ${whereClause(search.namespace, search.filters, sql`e.embedding_model = ${search.model}`)}
         order by e.embedding <=> ${q}
         limit ${search.candidates}`;
  const rescore = (...conditions: SQL[]) => sql`select l.id, l."timestamp", e.embedding <=> ${q} as distance
          from lexical_side l
          join events e on e.namespace = ${search.namespace} and e.id = l.id and e."timestamp" = l."timestamp"
         where ${sql.join([sql`e.embedding_model = ${search.model}`, ...conditions], sql` and `)}`;
  const lexicalCandidates = sql`(select count(*) from lexical_scored)`;
  const from = lexical ? search.vectorCandidates : ({ from: 'walk' } as const);
  // With `walkBelow`, both arms are planned and one runs: each is gated by a one-time condition on the
  // count of lexical candidates, evaluated before either arm reads a row.
  const vectorSide =
    from.from === 'walk'
      ? walk
      : from.walkBelow === undefined
        ? rescore()
        : sql`${rescore(sql`${lexicalCandidates} >= ${from.walkBelow}`)}
        union all
        select * from (${walk}) w where ${lexicalCandidates} < ${from.walkBelow}`;
  return sql`with ${lexicalPart},
    vector_side as (
      select id, "timestamp", 1 - distance / 2 as similarity, row_number() over (order by distance, id) as rank from (
        ${vectorSide}
      ) hits
      where ${hasCosine(sql`distance`)}
    ),
    v_range as (select min(similarity) as low, max(similarity) as high from vector_side),
    l_range as (select min(score) as low, max(score) as high from lexical_side),
    fused as (
      select coalesce(v.id, l.id) as id, coalesce(v."timestamp", l."timestamp") as "timestamp",
             ${fusedScore(search.fusion)} as score
        from vector_side v full join lexical_side l on l.id = v.id and l."timestamp" = v."timestamp"
        cross join v_range cross join l_range
    ),
    ${contextCtes('fused', search.namespace, search.filters, search.offset + search.limit)}
    select ${eventColumns()}, f.score::float8 as fused,
           -- No cosine (NaN), no vector score.
           case when e.embedding_model = ${search.model} then ${vectorScore(sql`nullif(e.embedding <=> ${q}, 'NaN'::float8)`)} end as vector_score,
           ${lexical ? sql`nullif(${bm25Score(sql`e.search_text`, sql`e.search_length`, lexical)}, 0)` : sql`null::float8`} as lexical_score,
           ${lexicalCandidates}::int as lexical_candidates
      from contextual f join events e on e.namespace = ${search.namespace} and e.id = f.id and e."timestamp" = f."timestamp"
     order by f.score desc, e."timestamp" desc, e.id
     limit ${search.limit} offset ${search.offset}`;
}

/**
 * Where hybrid search's vector side finds its candidates: `index`, its own nearest neighbors through the
 * HNSW graphs (events that share no query word can be found); `lexical`, the lexical side's candidates
 * scored by exact cosine, with a walk of the graphs only when too few events hold a query word (see
 * `SearchService`). Without lexical terms, `index` either way.
 */
export type HybridVectorSide = 'index' | 'lexical';

/**
 * How one hybrid statement finds its vector candidates: the HNSW `walk`; or `rescore`, the lexical
 * candidates scored by exact cosine, and with `walkBelow` the walk instead when fewer lexical candidates
 * than that were found (a condition the statement evaluates once).
 */
export type VectorCandidates = { from: 'walk' } | { from: 'rescore'; walkBelow?: number };

/**
 * Settings of one vector query, set transaction-locally (`localSettings` of @mnemolite/db: `SET LOCAL`
 * semantics, and on Citus sent to the worker that runs the query): iterative index scans keep reading
 * the HNSW graph until enough rows pass the filters (every vector query filters, at least on the
 * embedding model), and `ef_search` sizes the candidate list.
 */
export function vectorSettings(efSearch: number): Record<string, string> {
  return { 'hnsw.iterative_scan': 'relaxed_order', 'hnsw.ef_search': String(efSearch) };
}

/**
 * The vector side hybrid search uses unless told otherwise, by the kind of text embedder. The hash
 * embedder's vectors are hashed words and character n-grams: its cosine is a fuzzier copy of the
 * lexical match, so with it hybrid rescores the lexical candidates (measured in SEARCH.md: the same
 * recall on LoCoMo within one question, a third of the time at 100,000 events). Learned models find events that share no word
 * with the query: they keep their own walk through the HNSW graphs.
 */
export function defaultHybridVectorSide(embedderMode: 'hash' | 'transformers'): HybridVectorSide {
  return embedderMode === 'hash' ? 'lexical' : 'index';
}
