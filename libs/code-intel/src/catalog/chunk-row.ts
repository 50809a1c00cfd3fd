import { sql, type SQL } from 'drizzle-orm';
import type { ChunkView } from '../schemas/catalog.schemas';

export interface ChunkFilters {
  repository?: string;
  language?: string;
  chunk_type?: string;
  path_prefix?: string;
  /** Exact file path (chunk listing). */
  path?: string;
}

/** Columns of a chunk view, for `select`s over `code_chunks c`. */
export function chunkColumns(withSource: boolean): SQL {
  return sql.raw(
    `c.id, c.repository, c.file_path, c.language, c.chunk_type, c.name, c.qualified_name, c.signature, c.docstring, ` +
      `c.start_line, c.end_line, c.metadata, c.indexed_at${withSource ? ', c.source' : ''}`,
  );
}

/**
 * `where` conditions over `code_chunks c` confined to `namespace`, with the filters; all bound
 * parameters; `like` wildcards in a prefix are literal.
 */
export function filterConditions(namespace: string, filters: ChunkFilters): SQL {
  const conditions: SQL[] = [sql`c.namespace = ${namespace}`];
  if (filters.repository !== undefined) conditions.push(sql`c.repository = ${filters.repository}`);
  if (filters.language !== undefined) conditions.push(sql`c.language = ${filters.language}`);
  if (filters.chunk_type !== undefined) conditions.push(sql`c.chunk_type = ${filters.chunk_type}`);
  if (filters.path !== undefined) conditions.push(sql`c.file_path = ${filters.path}`);
  if (filters.path_prefix !== undefined) {
    const escaped = filters.path_prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`);
    conditions.push(sql`c.file_path like ${`${escaped}%`}`);
  }
  return sql.join(conditions, sql` and `);
}

/** A chunk row as the drivers return it: JSON and timestamps arrive parsed or as text. */
export interface RawChunkRow extends Omit<ChunkView, 'metadata' | 'indexed_at'> {
  metadata: Record<string, unknown> | string;
  indexed_at: Date | string;
}

export function toChunkView(row: RawChunkRow): ChunkView {
  const view: ChunkView = {
    id: row.id,
    repository: row.repository,
    file_path: row.file_path,
    language: row.language,
    chunk_type: row.chunk_type,
    name: row.name,
    qualified_name: row.qualified_name,
    signature: row.signature,
    docstring: row.docstring,
    start_line: Number(row.start_line),
    end_line: Number(row.end_line),
    metadata: typeof row.metadata === 'string' ? (JSON.parse(row.metadata) as Record<string, unknown>) : row.metadata,
    indexed_at: new Date(row.indexed_at).toISOString(),
  };
  if (row.source !== undefined) view.source = row.source;
  return view;
}
