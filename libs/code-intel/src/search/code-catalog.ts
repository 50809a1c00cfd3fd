import { sql } from 'drizzle-orm';
import { NotFoundError } from '@mnemolite/common';
import { queryRows, type Database } from '@mnemolite/db';
import { chunkColumns, filterConditions, toChunkView, type ChunkFilters, type ChunkView, type RawChunkRow } from './chunk-row';

export interface RepositorySummary {
  repository: string;
  files: number;
  chunks: number;
  languages: Record<string, number>;
  last_indexed_at: string | null;
}

export interface ChunkPage {
  items: ChunkView[];
  total: number;
  limit: number;
  offset: number;
}

/** Read and delete access to what is indexed: repositories and chunks, of one namespace per call. */
export class CodeCatalog {
  constructor(private readonly deps: { db: Database }) {}

  /** Every repository with its file and chunk counts; `languages` counts files per language. */
  async listRepositories(namespace: string): Promise<RepositorySummary[]> {
    const rows = await queryRows<{
      repository: string;
      files: string;
      languages: Record<string, number> | string;
      last_indexed_at: Date | string | null;
      chunks: string;
    }>(
      this.deps.db,
      sql`WITH f AS (
            SELECT repository, count(*) AS files, max(indexed_at) AS last_indexed_at FROM code_files
            WHERE namespace = ${namespace} GROUP BY repository),
          l AS (
            SELECT repository, jsonb_object_agg(language, n) AS languages
            FROM (SELECT repository, language, count(*) AS n FROM code_files WHERE namespace = ${namespace} GROUP BY repository, language) x
            GROUP BY repository),
          c AS (SELECT repository, count(*) AS chunks FROM code_chunks WHERE namespace = ${namespace} GROUP BY repository)
          SELECT f.repository, f.files, l.languages, f.last_indexed_at, coalesce(c.chunks, 0) AS chunks
          FROM f JOIN l USING (repository) LEFT JOIN c USING (repository)
          ORDER BY f.repository`,
    );
    return rows.map((row) => ({
      repository: row.repository,
      files: Number(row.files),
      chunks: Number(row.chunks),
      languages: mapNumbers(typeof row.languages === 'string' ? JSON.parse(row.languages) : row.languages),
      last_indexed_at: row.last_indexed_at ? new Date(row.last_indexed_at).toISOString() : null,
    }));
  }

  /** Deletes a repository's files, chunks, nodes and edges in one transaction; 404 when unknown. */
  async deleteRepository(namespace: string, repository: string): Promise<{ files: number; chunks: number; nodes: number; edges: number }> {
    return this.deps.db.transaction(async (txn) => {
      const tx = txn as unknown as Database;
      const [counts] = await queryRows<{ files: string; chunks: string; nodes: string; edges: string }>(
        tx,
        sql`SELECT (SELECT count(*) FROM code_files WHERE namespace = ${namespace} AND repository = ${repository}) AS files,
                   (SELECT count(*) FROM code_chunks WHERE namespace = ${namespace} AND repository = ${repository}) AS chunks,
                   (SELECT count(*) FROM nodes WHERE namespace = ${namespace} AND repository = ${repository}) AS nodes,
                   (SELECT count(*) FROM edges WHERE namespace = ${namespace} AND repository = ${repository}) AS edges`,
      );
      if (Number(counts.files) === 0 && Number(counts.nodes) === 0) throw new NotFoundError(`No indexed repository named "${repository}".`);
      await tx.execute(sql`DELETE FROM edges WHERE namespace = ${namespace} AND repository = ${repository}`);
      await tx.execute(sql`DELETE FROM nodes WHERE namespace = ${namespace} AND repository = ${repository}`);
      await tx.execute(sql`DELETE FROM code_files WHERE namespace = ${namespace} AND repository = ${repository}`);
      return { files: Number(counts.files), chunks: Number(counts.chunks), nodes: Number(counts.nodes), edges: Number(counts.edges) };
    });
  }

  /** Chunks without their source, ordered by path then start line. */
  async listChunks(namespace: string, filters: ChunkFilters & { repository: string }, limit: number, offset: number): Promise<ChunkPage> {
    const where = filterConditions(namespace, filters);
    const [rows, [total]] = await Promise.all([
      queryRows<RawChunkRow>(
        this.deps.db,
        sql`SELECT ${chunkColumns(false)} FROM code_chunks c WHERE ${where} ORDER BY c.file_path, c.start_line, c.end_line DESC, c.id LIMIT ${limit} OFFSET ${offset}`,
      ),
      queryRows<{ total: string }>(this.deps.db, sql`SELECT count(*) AS total FROM code_chunks c WHERE ${where}`),
    ]);
    return { items: rows.map(toChunkView), total: Number(total.total), limit, offset };
  }

  async getChunk(namespace: string, id: string): Promise<ChunkView> {
    const [row] = await queryRows<RawChunkRow>(
      this.deps.db,
      sql`SELECT ${chunkColumns(true)} FROM code_chunks c WHERE c.namespace = ${namespace} AND c.id = ${id}`,
    );
    if (!row) throw new NotFoundError(`No chunk with id ${id}.`);
    return toChunkView(row);
  }
}

function mapNumbers(record: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, Number(value)]));
}
