import { sql } from 'drizzle-orm';
import { bestFusedScore, queryRows, reciprocalRank, type Database } from '@mnemolite/db';
import { ENGLISH_STOP_WORDS, analyseEnglish, toVectorLiteral, tokenize, type Embedder } from '@mnemolite/embeddings';
import { chunkColumns, filterConditions, toChunkView, type RawChunkRow } from '../catalog/chunk-row';
import type { CodeSearchMode, CodeSearchQuery, CodeSearchResult } from '../schemas/search.schemas';

/** Each side of a hybrid search ranks this many candidates (at least the limit). */
const HYBRID_CANDIDATES = 100;
/** Full-text matches ranked in full; beyond these, a match has to come through the names. */
const FTS_CANDIDATES = 500;

/** `exact`: 2 = the name or qualified name is the query, 1 = the same but for case, 0 = neither. */
type ScoredRow = RawChunkRow & { score: number; exact: number };

/**
 * Code search. Lexical: full-text over the identifier-split `search_text` (OR of the query's words,
 * ranked by `ts_rank_cd`) plus trigram similarity of the query to `name` and `qualified_name`; an
 * exact name match always ranks first (a case-exact one before a case-insensitive one), because
 * someone typing an identifier wants its definition.
 * Vector: cosine distance of the CODE embedding of the query, over vectors of the current model only,
 * computed exactly over the filtered rows (an approximate index scan would apply filters after
 * ranking). Hybrid: Reciprocal Rank Fusion of both (k = `RRF_K` of @mnemolite/db), normalised to 0..1, exact names first.
 * Filters are SQL conditions of each ranking query, so they apply before ranking; so does the
 * namespace, every method's first parameter.
 */
export class CodeSearchService {
  constructor(private readonly deps: { db: Database; codeEmbedder?: Embedder }) {}

  async search(namespace: string, input: CodeSearchQuery): Promise<{ results: CodeSearchResult[]; mode: CodeSearchMode }> {
    const mode = input.mode ?? 'hybrid';
    const limit = input.limit ?? 10;
    // Without a CODE embedder every mode is lexical, and the answer says so.
    if (mode === 'lexical' || !this.deps.codeEmbedder) {
      const rows = await this.lexical(namespace, input, limit);
      return {
        results: rows.map((row) => ({ chunk: toChunkView(row), score: row.score, scores: { lexical: row.score } })),
        mode: 'lexical',
      };
    }
    if (mode === 'vector') {
      const rows = await this.vector(namespace, input, limit);
      return { results: rows.map((row) => ({ chunk: toChunkView(row), score: row.score, scores: { vector: row.score } })), mode };
    }
    const depth = Math.max(limit, HYBRID_CANDIDATES);
    const [lexical, vector] = await Promise.all([this.lexical(namespace, input, depth), this.vector(namespace, input, depth)]);
    return { results: fuse(lexical, vector, limit), mode };
  }

  private async lexical(namespace: string, input: CodeSearchQuery, limit: number): Promise<ScoredRow[]> {
    const words = queryWords(input.query);
    const raw = input.query.trim();
    // Words come from `tokenize` (letters and digits only), so the tsquery text cannot inject syntax.
    const tsquery = words.length > 0 ? sql`to_tsquery('simple', ${words.join(' | ')})` : sql`null::tsquery`;
    const where = filterConditions(namespace, input);
    // Candidates come from index-backed conditions only (GIN full-text, GIN trigram on names; an
    // exact name has similarity 1, so it is always among them); the full-text side keeps its best
    // FTS_CANDIDATES by rank so a common word cannot make every chunk a candidate.
    const rows = await queryRows<ScoredRow>(
      this.deps.db,
      sql`with q as (select ${tsquery} as tsq, ${raw}::text as raw, lower(${raw}::text) as lowered),
          fts as (
            select c.id from code_chunks c, q where ${where} and c.search_text @@ q.tsq
            order by ts_rank_cd(c.search_text, q.tsq) desc limit ${FTS_CANDIDATES}),
          names as (
            select c.id from code_chunks c, q where ${where} and (c.name % q.raw or c.qualified_name % q.raw)),
          candidates as (select id from fts union select id from names)
          select ${chunkColumns(true)},
                 (case when c.name = q.raw or c.qualified_name = q.raw then 2
                       when lower(c.name) = q.lowered or lower(c.qualified_name) = q.lowered then 1 else 0 end) as exact,
                 ((case when lower(c.name) = q.lowered or lower(c.qualified_name) = q.lowered then 1 else 0 end)
                  + greatest(similarity(c.name, q.raw), similarity(c.qualified_name, q.raw))
                  + coalesce(ts_rank_cd(c.search_text, q.tsq) / (1 + ts_rank_cd(c.search_text, q.tsq)), 0)) / 3 as score
          from candidates join code_chunks c on c.namespace = ${namespace} and c.id = candidates.id, q
          order by exact desc, score desc, c.file_path, c.start_line
          limit ${limit}`,
    );
    return rows.map((row) => ({ ...row, score: Number(row.score), exact: Number(row.exact) }));
  }

  private async vector(namespace: string, input: CodeSearchQuery, limit: number): Promise<ScoredRow[]> {
    const embedder = this.deps.codeEmbedder;
    if (!embedder || input.query.trim() === '') return [];
    const [vector] = await embedder.embed([input.query], { kind: 'query' });
    const rows = await queryRows<ScoredRow>(
      this.deps.db,
      sql`with scored as materialized (
            select ${chunkColumns(true)}, (c.embedding_code <=> ${toVectorLiteral(vector)}::vector) as distance
            from code_chunks c
            where ${filterConditions(namespace, input)} and c.embedding_code is not null and c.embedding_code_model = ${embedder.modelId})
          select *, 0 as exact, 1 - distance / 2 as score from scored
          order by distance, file_path, start_line
          limit ${limit}`,
    );
    return rows.map((row) => ({ ...row, score: Number(row.score) }));
  }
}

/**
 * The lexemes a code query is matched with: each word as written (names are indexed as written) and
 * its English stem (signature, docstring and body are stemmed), English stop words left out unless the
 * query is nothing else.
 */
export function queryWords(query: string): string[] {
  const words = tokenize(query);
  const meaningful = words.filter((word) => !ENGLISH_STOP_WORDS.has(word));
  const kept = meaningful.length > 0 ? meaningful : words;
  const stems = analyseEnglish(kept.join(' ')).map((word) => word.stem);
  return [...new Set([...kept, ...stems])];
}

function fuse(lexical: ScoredRow[], vector: ScoredRow[], limit: number): CodeSearchResult[] {
  const fused = new Map<string, { row: ScoredRow; rrf: number; exact: number; scores: CodeSearchResult['scores'] }>();
  const add = (rows: ScoredRow[], side: 'lexical' | 'vector'): void => {
    rows.forEach((row, rank) => {
      const entry = fused.get(row.id) ?? { row, rrf: 0, exact: 0, scores: {} };
      entry.rrf += reciprocalRank(rank + 1);
      entry.exact = Math.max(entry.exact, Number(row.exact));
      entry.scores[side] = row.score;
      fused.set(row.id, entry);
    });
  };
  add(lexical, 'lexical');
  add(vector, 'vector');
  const best = bestFusedScore(2);
  return [...fused.values()]
    .sort((a, b) => b.exact - a.exact || b.rrf - a.rrf)
    .slice(0, limit)
    .map((entry) => ({ chunk: toChunkView(entry.row), score: Math.min(1, entry.rrf / best), scores: entry.scores }));
}
