import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '@mnemolite/db';
import { ENGLISH_STOP_WORDS, analyseEnglish, toVectorLiteral, tokenize, type Embedder } from '@mnemolite/embeddings';
import { chunkColumns, filterConditions, toChunkView, type ChunkFilters, type ChunkView, type RawChunkRow } from './chunk-row';

export type CodeSearchMode = 'hybrid' | 'lexical' | 'vector';

export interface CodeSearchQuery extends Omit<ChunkFilters, 'path'> {
  query: string;
  mode?: CodeSearchMode;
  limit?: number;
}

export interface CodeSearchResult {
  chunk: ChunkView;
  score: number;
  scores: { lexical?: number; vector?: number };
}

export const RRF_K = 60;
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
 * ranking). Hybrid: Reciprocal Rank Fusion (k = 60) of both, normalised to 0..1, exact names first.
 * Filters are SQL conditions of each ranking query, so they apply before ranking; so does the
 * namespace, every method's first parameter.
 */
export class CodeSearch {
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
    const tsquery = words.length > 0 ? sql`to_tsquery('simple', ${words.join(' | ')})` : sql`NULL::tsquery`;
    const where = filterConditions(namespace, input);
    // Candidates come from index-backed conditions only (GIN full-text, GIN trigram on names; an
    // exact name has similarity 1, so it is always among them); the full-text side keeps its best
    // FTS_CANDIDATES by rank so a common word cannot make every chunk a candidate.
    const rows = await queryRows<ScoredRow>(
      this.deps.db,
      sql`WITH q AS (SELECT ${tsquery} AS tsq, ${raw}::text AS raw, lower(${raw}::text) AS lowered),
          fts AS (
            SELECT c.id FROM code_chunks c, q WHERE ${where} AND c.search_text @@ q.tsq
            ORDER BY ts_rank_cd(c.search_text, q.tsq) DESC LIMIT ${FTS_CANDIDATES}),
          names AS (
            SELECT c.id FROM code_chunks c, q WHERE ${where} AND (c.name % q.raw OR c.qualified_name % q.raw)),
          candidates AS (SELECT id FROM fts UNION SELECT id FROM names)
          SELECT ${chunkColumns(true)},
                 (CASE WHEN c.name = q.raw OR c.qualified_name = q.raw THEN 2
                       WHEN lower(c.name) = q.lowered OR lower(c.qualified_name) = q.lowered THEN 1 ELSE 0 END) AS exact,
                 ((CASE WHEN lower(c.name) = q.lowered OR lower(c.qualified_name) = q.lowered THEN 1 ELSE 0 END)
                  + greatest(similarity(c.name, q.raw), similarity(c.qualified_name, q.raw))
                  + coalesce(ts_rank_cd(c.search_text, q.tsq) / (1 + ts_rank_cd(c.search_text, q.tsq)), 0)) / 3 AS score
          FROM candidates JOIN code_chunks c ON c.namespace = ${namespace} AND c.id = candidates.id, q
          ORDER BY exact DESC, score DESC, c.file_path, c.start_line
          LIMIT ${limit}`,
    );
    return rows.map((row) => ({ ...row, score: Number(row.score), exact: Number(row.exact) }));
  }

  private async vector(namespace: string, input: CodeSearchQuery, limit: number): Promise<ScoredRow[]> {
    const embedder = this.deps.codeEmbedder;
    if (!embedder || input.query.trim() === '') return [];
    const [vector] = await embedder.embed([input.query], { kind: 'query' });
    const rows = await queryRows<ScoredRow>(
      this.deps.db,
      sql`WITH scored AS MATERIALIZED (
            SELECT ${chunkColumns(true)}, (c.embedding_code <=> ${toVectorLiteral(vector)}::vector) AS distance
            FROM code_chunks c
            WHERE ${filterConditions(namespace, input)} AND c.embedding_code IS NOT NULL AND c.embedding_code_model = ${embedder.modelId})
          SELECT *, 0 AS exact, 1 - distance / 2 AS score FROM scored
          ORDER BY distance, file_path, start_line
          LIMIT ${limit}`,
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
      entry.rrf += 1 / (RRF_K + rank + 1);
      entry.exact = Math.max(entry.exact, Number(row.exact));
      entry.scores[side] = row.score;
      fused.set(row.id, entry);
    });
  };
  add(lexical, 'lexical');
  add(vector, 'vector');
  // The best possible fused score is rank 1 on both sides.
  const best = 2 / (RRF_K + 1);
  return [...fused.values()]
    .sort((a, b) => b.exact - a.exact || b.rrf - a.rrf)
    .slice(0, limit)
    .map((entry) => ({ chunk: toChunkView(entry.row), score: Math.min(1, entry.rrf / best), scores: entry.scores }));
}
