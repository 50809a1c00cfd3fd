import { sql } from 'drizzle-orm';
import { NotFoundError } from '@mnemolite/common';
import { queryRows, type Database } from '@mnemolite/db';
import type { ChunkPage, ChunkView, DeletedCounts, RepositorySummary } from '../schemas/catalog.schemas';
import { chunkColumns, filterConditions, toChunkView, type ChunkFilters, type RawChunkRow } from './chunk-row';

/** Read and delete access to what is indexed: repositories and chunks, of one namespace per call. */
export class CodeCatalogService {
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
      sql`with f as (
            select repository, count(*) as files, max(indexed_at) as last_indexed_at from code_files
            where namespace = ${namespace} group by repository),
          l as (
            select repository, jsonb_object_agg(language, n) as languages
            from (select repository, language, count(*) as n from code_files where namespace = ${namespace} group by repository, language) x
            group by repository),
          c as (select repository, count(*) as chunks from code_chunks where namespace = ${namespace} group by repository)
          select f.repository, f.files, l.languages, f.last_indexed_at, coalesce(c.chunks, 0) as chunks
          from f join l using (repository) left join c using (repository)
          order by f.repository`,
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
  async deleteRepository(namespace: string, repository: string): Promise<DeletedCounts> {
    return this.deps.db.transaction(async (tx) => {
      const [counts] = await queryRows<{ files: string; chunks: string; nodes: string; edges: string }>(
        tx,
        sql`select (select count(*) from code_files where namespace = ${namespace} and repository = ${repository}) as files,
                   (select count(*) from code_chunks where namespace = ${namespace} and repository = ${repository}) as chunks,
                   (select count(*) from nodes where namespace = ${namespace} and repository = ${repository}) as nodes,
                   (select count(*) from edges where namespace = ${namespace} and repository = ${repository}) as edges`,
      );
      if (Number(counts.files) === 0 && Number(counts.nodes) === 0) throw new NotFoundError(`No indexed repository named "${repository}".`);
      await tx.execute(sql`delete from edges where namespace = ${namespace} and repository = ${repository}`);
      await tx.execute(sql`delete from nodes where namespace = ${namespace} and repository = ${repository}`);
      await tx.execute(sql`delete from code_files where namespace = ${namespace} and repository = ${repository}`);
      return { files: Number(counts.files), chunks: Number(counts.chunks), nodes: Number(counts.nodes), edges: Number(counts.edges) };
    });
  }

  /** Chunks without their source, ordered by path then start line. */
  async listChunks(namespace: string, filters: ChunkFilters & { repository: string }, limit: number, offset: number): Promise<ChunkPage> {
    const where = filterConditions(namespace, filters);
    const [rows, [total]] = await Promise.all([
      queryRows<RawChunkRow>(
        this.deps.db,
        sql`select ${chunkColumns(false)} from code_chunks c where ${where} order by c.file_path, c.start_line, c.end_line desc, c.id limit ${limit} offset ${offset}`,
      ),
      queryRows<{ total: string }>(this.deps.db, sql`select count(*) as total from code_chunks c where ${where}`),
    ]);
    return { items: rows.map(toChunkView), total: Number(total.total), limit, offset };
  }

  async getChunk(namespace: string, id: string): Promise<ChunkView> {
    const [row] = await queryRows<RawChunkRow>(
      this.deps.db,
      sql`select ${chunkColumns(true)} from code_chunks c where c.namespace = ${namespace} and c.id = ${id}`,
    );
    if (!row) throw new NotFoundError(`No chunk with id ${id}.`);
    return toChunkView(row);
  }
}

function mapNumbers(record: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, Number(value)]));
}
