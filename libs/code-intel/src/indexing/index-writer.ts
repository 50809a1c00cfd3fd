import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '@mnemolite/db';
import { toVectorLiteral } from '@mnemolite/embeddings';
import { resolveRepositoryGraph, type GraphDefinition, type GraphFile } from '../graph/call-resolver';
import type { ImportRef } from '../parsing/imports';
import type { PreparedFile } from './prepare-file';
import { insertJsonRows } from './bulk-insert';
import { SEARCH_TEXT_SQL, searchTextParts } from './search-text';

export interface ChunkEmbeddings {
  text?: { vectors: Float32Array[]; model: string };
  code?: { vectors: Float32Array[]; model: string };
}

export interface WriteCounts {
  chunks: number;
  nodes: number;
  edges: number;
}

/**
 * Replaces the given files of a repository of `namespace`: their old chunks, nodes and edges go (cascades), the new
 * ones are inserted. The caller runs this inside one transaction so readers never see a half-written
 * file. `embeddings[i]` belongs to `files[i]`, aligned with its chunks.
 */
export async function replaceFiles(
  tx: Database,
  namespace: string,
  repository: string,
  files: PreparedFile[],
  embeddings: ChunkEmbeddings[],
  options: { commit: string | null; graph: boolean },
): Promise<WriteCounts> {
  const counts: WriteCounts = { chunks: 0, nodes: 0, edges: 0 };
  if (files.length === 0) return counts;
  const paths = files.map((file) => file.path);
  await deleteFiles(tx, namespace, repository, paths);

  const fileRows = files.map((file) => ({
    namespace,
    id: randomUUID(),
    repository,
    path: file.path,
    language: file.language,
    content_hash: file.contentHash,
    size_bytes: file.sizeBytes,
    line_count: file.lineCount,
    commit: options.commit,
  }));
  await insertJsonRows(
    tx,
    'code_files',
    'namespace, id, repository, path, language, content_hash, size_bytes, line_count, commit',
    'namespace text, id uuid, repository text, path text, language text, content_hash text, size_bytes int, line_count int, commit text',
    'r.namespace, r.id, r.repository, r.path, r.language, r.content_hash, r.size_bytes, r.line_count, r.commit',
    fileRows,
  );

  const chunkRows: object[] = [];
  const nodeRows: GraphNodeRow[] = [];
  const edgeRows: GraphEdgeRow[] = [];
  files.forEach((file, f) => {
    const chunkIds = file.chunks.map(() => randomUUID());
    const vectors = embeddings[f] ?? {};
    file.chunks.forEach((chunk, c) => {
      chunkRows.push({
        namespace,
        id: chunkIds[c],
        file_id: fileRows[f].id,
        repository,
        file_path: file.path,
        language: file.language,
        chunk_type: chunk.chunkType,
        name: chunk.name,
        qualified_name: chunk.qualifiedName,
        signature: chunk.signature,
        docstring: chunk.docstring,
        start_line: chunk.startLine,
        end_line: chunk.endLine,
        source: chunk.source,
        metadata: chunk.metadata,
        embedding_text: vectors.text ? toVectorLiteral(vectors.text.vectors[c]) : null,
        embedding_text_model: vectors.text?.model ?? null,
        embedding_code: vectors.code ? toVectorLiteral(vectors.code.vectors[c]) : null,
        embedding_code_model: vectors.code?.model ?? null,
        ...searchTextParts(chunk),
      });
    });
    if (options.graph) graphRows(namespace, repository, file, chunkIds, nodeRows, edgeRows);
  });
  await insertJsonRows(
    tx,
    'code_chunks',
    'namespace, id, file_id, repository, file_path, language, chunk_type, name, qualified_name, signature, docstring, start_line, end_line, ' +
      'source, metadata, embedding_text, embedding_text_model, embedding_code, embedding_code_model, search_text',
    'namespace text, id uuid, file_id uuid, repository text, file_path text, language text, chunk_type text, name text, qualified_name text, ' +
      'signature text, docstring text, start_line int, end_line int, source text, metadata jsonb, embedding_text text, ' +
      'embedding_text_model text, embedding_code text, embedding_code_model text, names text, header text, body text',
    'r.namespace, r.id, r.file_id, r.repository, r.file_path, r.language, r.chunk_type, r.name, r.qualified_name, r.signature, r.docstring, ' +
      'r.start_line, r.end_line, r.source, r.metadata, r.embedding_text::vector, r.embedding_text_model, r.embedding_code::vector, ' +
      `r.embedding_code_model, ${SEARCH_TEXT_SQL}`,
    chunkRows,
  );
  await insertNodes(tx, nodeRows);
  await insertEdges(tx, edgeRows);
  return { chunks: chunkRows.length, nodes: nodeRows.length, edges: edgeRows.length };
}

interface GraphNodeRow {
  namespace: string;
  id: string;
  type: string;
  label: string;
  repository: string;
  properties: Record<string, unknown>;
}

interface GraphEdgeRow {
  namespace: string;
  source: string;
  target: string;
  relation: string;
  repository: string;
  properties: Record<string, unknown>;
}

function insertNodes(tx: Database, rows: GraphNodeRow[]): Promise<void> {
  return insertJsonRows(
    tx,
    'nodes',
    'namespace, id, type, label, repository, properties',
    'namespace text, id uuid, type text, label text, repository text, properties jsonb',
    'r.namespace, r.id, r.type, r.label, r.repository, r.properties',
    rows,
  );
}

function insertEdges(tx: Database, rows: GraphEdgeRow[]): Promise<void> {
  return insertJsonRows(
    tx,
    'edges',
    'namespace, source, target, relation, repository, properties',
    'namespace text, source uuid, target uuid, relation text, repository text, properties jsonb',
    'r.namespace, r.source, r.target, r.relation, r.repository, r.properties',
    rows,
  );
}

/** Removes files with their chunks (cascade), graph nodes and edges (cascade). */
export async function deleteFiles(tx: Database, namespace: string, repository: string, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  const list = sql.join(
    paths.map((path) => sql`${path}`),
    sql`, `,
  );
  await tx.execute(sql`DELETE FROM code_files WHERE namespace = ${namespace} AND repository = ${repository} AND path IN (${list})`);
  await tx.execute(
    sql`DELETE FROM nodes WHERE namespace = ${namespace} AND repository = ${repository} AND properties->>'file_path' IN (${list})`,
  );
}

/** A file node, a node per definition (first part's chunk linked), `contains` edges along nesting. */
function graphRows(
  namespace: string,
  repository: string,
  file: PreparedFile,
  chunkIds: string[],
  nodeRows: GraphNodeRow[],
  edgeRows: GraphEdgeRow[],
): void {
  const fileNodeId = randomUUID();
  const imports: ImportRef[] = file.parsed?.imports ?? [];
  nodeRows.push({
    namespace,
    id: fileNodeId,
    type: 'file',
    label: file.path,
    repository,
    properties: { file_path: file.path, language: file.language, imports, calls: file.parsed?.topLevelCalls ?? [] },
  });
  const definitions = file.parsed?.definitions ?? [];
  const chunkOf = new Map<number, string>();
  file.chunks.forEach((chunk, c) => {
    if (chunk.definition >= 0 && !chunkOf.has(chunk.definition)) chunkOf.set(chunk.definition, chunkIds[c]);
  });
  const defNodeIds = definitions.map(() => randomUUID());
  definitions.forEach((def, d) => {
    nodeRows.push({
      namespace,
      id: defNodeIds[d],
      type: def.chunkType,
      label: def.qualifiedName,
      repository,
      properties: {
        file_path: file.path,
        language: file.language,
        name: def.name,
        qualified_name: def.qualifiedName,
        kind: def.kind,
        start_line: def.startLine,
        end_line: def.endLine,
        chunk_id: chunkOf.get(d) ?? null,
        calls: def.calls,
      },
    });
    const parent = def.parent >= 0 ? defNodeIds[def.parent] : fileNodeId;
    edgeRows.push({ namespace, source: parent, target: defNodeIds[d], relation: 'contains', repository, properties: {} });
  });
}

interface NodeRecord {
  id: string;
  type: string;
  properties: { file_path: string; name?: string; qualified_name?: string; calls?: string[]; imports?: ImportRef[] };
}

/**
 * Recomputes a repository's `calls` and `imports` edges from the calls and imports stored on its
 * nodes: a changed file changes what other files' calls resolve to, so linking is repository-wide.
 * Returns the number of edges written and the call resolution counts.
 */
export async function relinkRepository(
  tx: Database,
  namespace: string,
  repository: string,
): Promise<{ edges: number; calls: { total: number; resolved: number } }> {
  const rows = await queryRows<NodeRecord>(
    tx,
    sql`SELECT id, type, properties FROM nodes WHERE namespace = ${namespace} AND repository = ${repository}`,
  );
  const files: GraphFile[] = [];
  const definitions: GraphDefinition[] = [];
  for (const row of rows) {
    const p = row.properties;
    if (row.type === 'file') files.push({ id: row.id, path: p.file_path, imports: p.imports ?? [], calls: p.calls ?? [] });
    else
      definitions.push({
        id: row.id,
        filePath: p.file_path,
        name: p.name ?? '',
        qualifiedName: p.qualified_name ?? '',
        calls: p.calls ?? [],
      });
  }
  const resolution = resolveRepositoryGraph(files, definitions);
  await tx.execute(
    sql`DELETE FROM edges WHERE namespace = ${namespace} AND repository = ${repository} AND relation IN ('calls', 'imports')`,
  );
  const edgeRows: GraphEdgeRow[] = resolution.edges.map((edge) => ({ ...edge, namespace, repository }));
  await insertEdges(tx, edgeRows);
  return { edges: edgeRows.length, calls: resolution.calls };
}
