import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  codeChunks,
  codeFiles,
  edges,
  nodes,
  queryRows,
  textArray,
  type NewCodeChunkRow,
  type NewCodeFileRow,
  type NewEdgeRow,
  type NewNodeRow,
  type Transaction,
} from '@mnemolite/db';
import { resolveRepositoryGraph, type GraphDefinition, type GraphFile } from '../graph/call-resolver';
import type { ImportRef } from '../parsing/imports';
import type { PreparedFile } from './prepare-file';
import { insertJsonRows } from './bulk-insert';
import { SEARCH_TEXT_COLUMN, searchTextParts, type SearchTextParts } from './search-text';

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
  tx: Transaction,
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

  const fileRows = files.map((file): NewCodeFileRow & { id: string } => ({
    namespace,
    id: randomUUID(),
    repository,
    path: file.path,
    language: file.language,
    contentHash: file.contentHash,
    sizeBytes: file.sizeBytes,
    lineCount: file.lineCount,
    commit: options.commit,
  }));
  await insertJsonRows(tx, codeFiles, fileRows);

  const chunkRows: (Omit<NewCodeChunkRow, 'searchText'> & SearchTextParts)[] = [];
  const nodeRows: NewNodeRow[] = [];
  const edgeRows: NewEdgeRow[] = [];
  files.forEach((file, f) => {
    const chunkIds = file.chunks.map(() => randomUUID());
    const vectors = embeddings[f] ?? {};
    file.chunks.forEach((chunk, c) => {
      chunkRows.push({
        namespace,
        id: chunkIds[c],
        fileId: fileRows[f].id,
        repository,
        filePath: file.path,
        language: file.language,
        chunkType: chunk.chunkType,
        name: chunk.name,
        qualifiedName: chunk.qualifiedName,
        signature: chunk.signature,
        docstring: chunk.docstring,
        startLine: chunk.startLine,
        endLine: chunk.endLine,
        source: chunk.source,
        metadata: chunk.metadata,
        embeddingText: vectors.text ? Array.from(vectors.text.vectors[c]) : null,
        embeddingTextModel: vectors.text?.model ?? null,
        embeddingCode: vectors.code ? Array.from(vectors.code.vectors[c]) : null,
        embeddingCodeModel: vectors.code?.model ?? null,
        ...searchTextParts(chunk),
      });
    });
    if (options.graph) graphRows(namespace, repository, file, chunkIds, nodeRows, edgeRows);
  });
  await insertJsonRows(tx, codeChunks, chunkRows, { searchText: SEARCH_TEXT_COLUMN });
  await insertJsonRows(tx, nodes, nodeRows);
  await insertJsonRows(tx, edges, edgeRows);
  return { chunks: chunkRows.length, nodes: nodeRows.length, edges: edgeRows.length };
}

/** Removes files with their chunks (cascade), graph nodes and edges (cascade). */
export async function deleteFiles(tx: Transaction, namespace: string, repository: string, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  const list = textArray(paths);
  await tx.execute(sql`delete from code_files where namespace = ${namespace} and repository = ${repository} and path = any(${list})`);
  await tx.execute(
    sql`delete from nodes where namespace = ${namespace} and repository = ${repository} and properties->>'file_path' = any(${list})`,
  );
}

/** A file node, a node per definition (first part's chunk linked), `contains` edges along nesting. */
function graphRows(
  namespace: string,
  repository: string,
  file: PreparedFile,
  chunkIds: string[],
  nodeRows: NewNodeRow[],
  edgeRows: NewEdgeRow[],
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
  tx: Transaction,
  namespace: string,
  repository: string,
): Promise<{ edges: number; calls: { total: number; resolved: number } }> {
  const rows = await queryRows<NodeRecord>(
    tx,
    sql`select id, type, properties from nodes where namespace = ${namespace} and repository = ${repository}`,
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
    sql`delete from edges where namespace = ${namespace} and repository = ${repository} and relation in ('calls', 'imports')`,
  );
  const edgeRows: NewEdgeRow[] = resolution.edges.map((edge) => ({ ...edge, namespace, repository }));
  await insertJsonRows(tx, edges, edgeRows);
  return { edges: edgeRows.length, calls: resolution.calls };
}
