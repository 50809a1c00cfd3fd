import type { SQL } from 'drizzle-orm';
import { ValidationError } from '@mnemolite/common';
import { localSettings, queryPreparedRows, queryRows, type Database, type DatabaseExecutor } from '@mnemolite/db';
import type { Embedder } from '@mnemolite/embeddings';
import { eventFilterConditions, type EventFilters } from '../events/event-filters';
import { toEvent, type EventRow } from '../events/event-row';
import { listEvents } from '../events/list-events';
import type { SearchRequest, SearchResponse, SearchResult } from '../schemas/search.schemas';
import { analyseLexicalQuery, LEXICAL_CANDIDATE_BUDGET, termWeights, type LexicalQuery } from './bm25';
import {
  CONTEXT,
  defaultFusion,
  defaultHybridVectorSide,
  hybridSearchSql,
  lexicalSearchSql,
  vectorSearchSql,
  vectorSettings,
  type Fusion,
  type HybridVectorSide,
  type VectorCandidates,
} from './search-sql';

export interface SearchServiceDeps {
  db: Database;
  /** The TEXT model: `query` is embedded with it (as a query); only its vectors are compared. */
  textEmbedder: Embedder;
  /** HNSW candidate list size (pgvector's default is 40); raised per query when more rows are asked for. */
  efSearch?: number;
  /** Candidates per side of a hybrid search, as a multiple of `offset + limit`. */
  hybridCandidateFactor?: number;
  /** How hybrid search fuses its sides (default: `defaultFusion` of the embedder's mode, see SEARCH.md). */
  fusion?: Fusion;
  /** Candidate budget of lexical ranking (default `LEXICAL_CANDIDATE_BUDGET`, see SEARCH.md). */
  lexicalCandidateBudget?: number;
  /** Where hybrid's vector side finds candidates (default: `defaultHybridVectorSide` of the embedder's mode). */
  hybridVectorSide?: HybridVectorSide;
}

export const DEFAULT_EF_SEARCH = 100;
const MAX_EF_SEARCH = 1000;
const DEFAULT_HYBRID_CANDIDATE_FACTOR = 4;

type RowWithScores = EventRow & {
  distance?: number;
  rank?: number;
  lexical?: number;
  fused?: number;
  vector_score?: number | null;
  lexical_score?: number | null;
  lexical_candidates?: number;
};

/**
 * Search over the events of one namespace: vector, lexical (BM25 with that namespace's statistics),
 * hybrid (fused) or filter-only; see SEARCH.md.
 */
export class SearchService {
  private readonly efSearch: number;
  private readonly candidateFactor: number;
  private readonly fusion?: Fusion;
  private readonly lexicalBudget: number;
  private readonly hybridVectorSide: HybridVectorSide;

  constructor(private readonly deps: SearchServiceDeps) {
    this.efSearch = deps.efSearch ?? DEFAULT_EF_SEARCH;
    this.lexicalBudget = deps.lexicalCandidateBudget ?? LEXICAL_CANDIDATE_BUDGET;
    this.candidateFactor = deps.hybridCandidateFactor ?? DEFAULT_HYBRID_CANDIDATE_FACTOR;
    this.fusion = deps.fusion;
    this.hybridVectorSide = deps.hybridVectorSide ?? defaultHybridVectorSide(deps.textEmbedder.mode);
  }

  async search(namespace: string, request: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    const { mode, results, total } = await this.run(namespace, request);
    const kept = request.min_score === undefined ? results : results.filter((result) => result.score >= request.min_score!);
    return {
      results: kept,
      mode,
      total: mode === 'filter' ? total : kept.length,
      took_ms: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  private async run(
    namespace: string,
    request: SearchRequest,
  ): Promise<{ mode: SearchResponse['mode']; results: SearchResult[]; total: number }> {
    const filters = { metadata: request.metadata, ts_start: request.ts_start, ts_end: request.ts_end };
    const page = { namespace, filters, limit: request.limit, offset: request.offset };
    if (request.vector !== undefined) this.assertDimension(request.vector);

    if (request.query === undefined && request.vector === undefined) {
      const { items, total } = await listEvents(this.deps.db, namespace, filters, page);
      return { mode: 'filter', results: items.map((event) => ({ event, score: 1, scores: {} })), total };
    }

    if (request.mode === 'lexical') {
      if (request.query === undefined) {
        throw new ValidationError('A lexical search needs `query` (a vector alone cannot be matched by words).', [
          { path: 'query', message: 'Required for mode "lexical".' },
        ]);
      }
      const lexical = await analyseLexicalQuery(this.deps.db, namespace, request.query, this.lexicalBudget);
      if (lexical === null) return { mode: 'lexical', results: [], total: 0 };
      const rows = await lexicalRows(this.deps.db, filters, lexicalSearchSql({ ...page, lexical }));
      return {
        mode: 'lexical',
        results: rows.map((row) => scored(row, Number(row.rank), { lexical: Number(row.lexical) })),
        total: rows.length,
      };
    }

    // The query's words weighed by the store: the lexical side of hybrid ranks with them, and the hash
    // embedder weighs its query features by them. A vector search with a learned model needs neither.
    const needsLexical = request.mode === 'hybrid' || (request.vector === undefined && this.deps.textEmbedder.mode === 'hash');
    const lexical =
      request.query === undefined || !needsLexical
        ? null
        : await analyseLexicalQuery(this.deps.db, namespace, request.query, this.lexicalBudget);
    const vector = request.vector ?? (await this.embedQuery(request.query as string, lexical));
    const model = this.deps.textEmbedder.modelId;
    if (request.mode === 'vector' || request.query === undefined) {
      // ef_search must cover the rows asked for; below that, the configured breadth.
      const efSearch = Math.max(this.efSearch, request.offset + request.limit);
      const rows = await this.withVectorSettings(efSearch, vectorSearchSql({ ...page, vector, model }));
      return {
        mode: 'vector',
        results: rows.map((row) => {
          const score = 1 - Number(row.distance) / 2;
          return scored(row, score, { vector: score });
        }),
        total: rows.length,
      };
    }

    const candidates = (request.offset + request.limit) * this.candidateFactor;
    const hybrid = (vectorCandidates: VectorCandidates) =>
      hybridSearchSql({
        ...page,
        vector,
        model,
        lexical,
        candidates,
        fusion: this.fusion ?? defaultFusion(this.deps.textEmbedder.mode),
        vectorCandidates,
      });
    // The vector side of hybrid is a list of candidates to fuse, so an HNSW walk is sized to that list
    // rather than to vector search's `efSearch`: measured (SEARCH.md), same recall on LoCoMo, a
    // fifth less time at 20,000 events.
    const walked = (vectorCandidates: VectorCandidates) => this.withVectorSettings(candidates, hybrid(vectorCandidates));
    if (this.hybridVectorSide === 'index' || lexical === null) return hybridResponse(await walked({ from: 'walk' }));
    // Rescoring the lexical candidates walks no graph. The graphs are walked instead when fewer events
    // hold a query word than context re-ranks (`CONTEXT.rerank`) or than the page reaches, so that pages
    // stay full under a selective filter: the count of lexical candidates does not depend on the page,
    // so one query is answered one way for every page up to that depth.
    const walkBelow = Math.max(CONTEXT.rerank, request.offset + request.limit);
    if (eventFilterConditions(filters).length > 0) {
      // Filtered statements are planned with their values anyway: one statement decides and runs one arm.
      return hybridResponse(await walked({ from: 'rescore', walkBelow }));
    }
    // Unfiltered, the rescoring statement runs prepared (no walk in it to plan), and the walk only when
    // it found too few candidates.
    const rescored = await queryPreparedRows<RowWithScores>(this.deps.db, hybrid({ from: 'rescore' }));
    const enough = rescored.length > 0 && Number(rescored[0].lexical_candidates) >= walkBelow;
    return hybridResponse(enough ? rescored : await walked({ from: 'walk' }));
  }

  private assertDimension(vector: number[]): void {
    const { dimension, modelId } = this.deps.textEmbedder;
    if (vector.length !== dimension) {
      throw new ValidationError(`The vector has ${vector.length} dimensions; the text model (${modelId}) has ${dimension}.`, [
        { path: 'vector', message: `Expected ${dimension} numbers.` },
      ]);
    }
  }

  private async embedQuery(query: string, lexical: LexicalQuery | null): Promise<Float32Array> {
    const [vector] = await this.deps.textEmbedder.embed([query], { kind: 'query', termWeight: lexical ? termWeights(lexical) : undefined });
    return vector;
  }

  /**
   * Runs a vector query in its own transaction, so its HNSW settings apply to it alone (`ef_search`
   * capped at `MAX_EF_SEARCH`).
   */
  private async withVectorSettings(efSearch: number, query: SQL): Promise<RowWithScores[]> {
    const settings = localSettings(this.deps.db, vectorSettings(Math.min(MAX_EF_SEARCH, efSearch)));
    return this.deps.db.transaction(async (tx) => {
      for (const statement of settings) await tx.execute(statement);
      return queryRows<RowWithScores>(tx, query);
    });
  }
}

/**
 * A lexical search's rows. Without filters it runs prepared: on a server PostgreSQL then reuses its
 * generic plan instead of planning every search over the monthly partitions, which cost as much as
 * running it (SEARCH.md, "Prepared statements"). With a filter it runs unnamed, planned with its values:
 * a time window prunes the months it does not cover, and how many events a metadata filter keeps
 * decides the plan (prepared, a metadata-filtered search was twice as fast with filters keeping 1-20%
 * of the events, but a third slower with one keeping 95% at 100,000 events: the generic plan made on
 * selective filters read the metadata index for all of them). Statements that walk the HNSW graphs are
 * never prepared: PostgreSQL kept planning them anyway, and their generic plan, when forced, was 17
 * times slower for hybrid.
 */
function lexicalRows(executor: DatabaseExecutor, filters: EventFilters, query: SQL): Promise<RowWithScores[]> {
  return eventFilterConditions(filters).length > 0
    ? queryRows<RowWithScores>(executor, query)
    : queryPreparedRows<RowWithScores>(executor, query);
}

function hybridResponse(rows: RowWithScores[]): { mode: 'hybrid'; results: SearchResult[]; total: number } {
  return {
    mode: 'hybrid',
    results: rows.map((row) =>
      scored(row, Number(row.fused), {
        ...(row.vector_score === null || row.vector_score === undefined ? {} : { vector: Number(row.vector_score) }),
        ...(row.lexical_score === null || row.lexical_score === undefined ? {} : { lexical: Number(row.lexical_score) }),
      }),
    ),
    total: rows.length,
  };
}

/** Float rounding can stray a hair outside 0..1 (cosine of near-identical vectors): clamp. */
function unit(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function scored(row: RowWithScores, score: number, scores: { vector?: number; lexical?: number }): SearchResult {
  // Search rows never select the vector, so the event carries no `embedding` field.
  const event = toEvent(row);
  return {
    event,
    score: unit(score),
    scores: {
      ...(scores.vector === undefined ? {} : { vector: unit(scores.vector) }),
      ...(scores.lexical === undefined ? {} : { lexical: unit(scores.lexical) }),
    },
  };
}
