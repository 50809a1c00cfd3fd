import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { ValidationError } from '@mnemolite/common';
import { queryRows, textArray, type Database } from '@mnemolite/db';
import type { Embedder } from '@mnemolite/embeddings';
import type { TreeSitterRuntime } from '../parsing/tree-sitter-runtime';
import { MAX_BATCH_FILES, type IndexFileInput, type IndexReport } from '../schemas/indexing.schemas';
import { MAX_FILE_BYTES, walkDirectory } from './directory-walker';
import { deleteFiles, relinkRepository, replaceFiles, type ChunkEmbeddings } from './index-writer';
import { resolveIndexDirectory } from './path-guard';
import { contentHash, languageOf, looksBinary, prepareFile, wellFormed, type PreparedFile } from './prepare-file';
import { splitIdentifiers, textRendering } from './search-text';

/** Files read, parsed and embedded per step when indexing a directory (progress is reported per step). */
const PREPARE_BATCH_FILES = 100;
const EMBED_BATCH = 64;

export interface IndexOptions {
  repository: string;
  commit?: string | null;
  /** Compute TEXT and CODE embeddings (default true; without embedders configured, none are computed). */
  embeddings?: boolean;
  /** Build graph nodes and edges (default true). */
  graph?: boolean;
}

export interface IndexProgress {
  /** `prepare`: files read, parsed and embedded; `write`: files written (in the one transaction). */
  phase: 'prepare' | 'write';
  done: number;
  total: number;
  chunks: number;
}

export interface CodeIndexingServiceDeps {
  db: Database;
  runtime: TreeSitterRuntime;
  textEmbedder?: Embedder;
  codeEmbedder?: Embedder;
  /** Absolute directories under which `indexDirectory` may read; empty disables it. */
  indexRoots: string[];
}

type Candidate = { path: string; language: string; load: () => Promise<string> };
type PreparedBatch = { files: PreparedFile[]; embeddings: ChunkEmbeddings[] };

/**
 * Indexes source files incrementally: a file whose content hash is unchanged is neither parsed nor
 * embedded; changed ones are parsed, chunked and embedded, then one transaction per call replaces
 * their rows, removes vanished files and relinks the graph (a failed call writes nothing).
 * A repository lives in one namespace (every method's first parameter): the same name in two
 * namespaces is two repositories.
 */
export class CodeIndexingService {
  constructor(private readonly deps: CodeIndexingServiceDeps) {}

  /** A batch from the API (1..500 files, each at most 1 MiB). */
  async indexFiles(namespace: string, options: IndexOptions, files: IndexFileInput[]): Promise<IndexReport> {
    const started = performance.now();
    if (files.length < 1 || files.length > MAX_BATCH_FILES) {
      throw new ValidationError(`A batch holds 1 to ${MAX_BATCH_FILES} files, got ${files.length}.`);
    }
    const seen = new Set<string>();
    for (const file of files) {
      const size = Buffer.byteLength(file.content, 'utf8');
      if (size > MAX_FILE_BYTES) {
        throw new ValidationError(`File "${file.path}" is ${size} bytes, over the 1 MiB limit.`, { path: file.path, size_bytes: size });
      }
      if (seen.has(file.path)) throw new ValidationError(`File "${file.path}" appears twice in the batch.`, { path: file.path });
      seen.add(file.path);
    }
    const report = emptyReport(options.repository);
    const candidates = files.map((file) => ({
      path: file.path,
      language: languageOf(file.path, file.language),
      load: async () => file.content,
    }));
    const stored = await this.storedHashes(
      namespace,
      options.repository,
      files.map((file) => file.path),
    );
    const batch = await this.prepareBatch(options, candidates, stored, report);
    await this.write(namespace, options, [batch], [], report);
    report.took_ms = Math.round(performance.now() - started);
    return report;
  }

  /**
   * A directory on this machine, inside the configured roots. Files that disappeared since the last
   * run are removed with their chunks and graph. All or nothing: every file is read, parsed and
   * embedded first (progress counts them), then everything is written in one transaction (progress
   * counts the files written), so a failure at any point leaves the stored index as it was.
   */
  async indexDirectory(
    namespace: string,
    options: IndexOptions,
    requestedPath: string,
    onProgress?: (progress: IndexProgress) => void,
  ): Promise<IndexReport> {
    const started = performance.now();
    const { directory, root } = await resolveIndexDirectory(requestedPath, this.deps.indexRoots);
    const entries = await walkDirectory(directory, root);
    const report = emptyReport(options.repository);
    const candidates: Candidate[] = [];
    for (const entry of entries) {
      if ('error' in entry) {
        report.files_failed += 1;
        report.errors.push({ path: entry.path, error: entry.error });
      } else {
        candidates.push({ path: entry.path, language: languageOf(entry.path), load: () => readFile(entry.absolute, 'utf8') });
      }
    }
    const kept = new Set<string>();
    const stored = await this.storedHashes(namespace, options.repository);
    const batches: PreparedBatch[] = [];
    for (let i = 0; i < candidates.length; i += PREPARE_BATCH_FILES) {
      batches.push(await this.prepareBatch(options, candidates.slice(i, i + PREPARE_BATCH_FILES), stored, report, kept));
      onProgress?.({ phase: 'prepare', done: Math.min(i + PREPARE_BATCH_FILES, candidates.length), total: candidates.length, chunks: 0 });
    }
    const missing = [...stored.keys()].filter((path) => !kept.has(path));
    await this.write(namespace, options, batches, missing, report, onProgress);
    report.took_ms = Math.round(performance.now() - started);
    return report;
  }

  /**
   * Writes prepared files, removes `missing` paths and relinks the repository's graph, all in one
   * transaction; the report's counts change only once it committed.
   */
  private async write(
    namespace: string,
    options: IndexOptions,
    batches: PreparedBatch[],
    missing: string[],
    report: IndexReport,
    onProgress?: (progress: IndexProgress) => void,
  ): Promise<void> {
    const total = batches.reduce((sum, batch) => sum + batch.files.length, 0);
    if (total === 0 && missing.length === 0) return;
    const written = await this.deps.db.transaction(async (tx) => {
      const counts = { files: 0, chunks: 0, nodes: 0, edges: 0 };
      for (const batch of batches) {
        if (batch.files.length === 0) continue;
        const batchCounts = await replaceFiles(tx, namespace, options.repository, batch.files, batch.embeddings, {
          commit: options.commit ?? null,
          graph: options.graph !== false,
        });
        counts.files += batch.files.length;
        counts.chunks += batchCounts.chunks;
        counts.nodes += batchCounts.nodes;
        counts.edges += batchCounts.edges;
        onProgress?.({ phase: 'write', done: counts.files, total, chunks: counts.chunks });
      }
      if (missing.length > 0) await deleteFiles(tx, namespace, options.repository, missing);
      if (options.graph !== false) counts.edges += (await relinkRepository(tx, namespace, options.repository)).edges;
      return counts;
    });
    report.files_indexed += written.files;
    report.chunks += written.chunks;
    report.nodes += written.nodes;
    report.edges += written.edges;
  }

  /** Content hashes already stored, by path (all of the repository's, or those of `paths`). */
  private async storedHashes(namespace: string, repository: string, paths?: string[]): Promise<Map<string, string>> {
    const only = paths ? sql` and path = any(${textArray(paths)})` : sql``;
    const rows = await queryRows<{ path: string; content_hash: string }>(
      this.deps.db,
      sql`select path, content_hash from code_files where namespace = ${namespace} and repository = ${repository}${only}`,
    );
    return new Map(rows.map((row) => [row.path, row.content_hash]));
  }

  /**
   * Reads, hashes, parses, chunks and embeds the changed files of a batch; unchanged ones are only
   * counted. `kept` collects the paths that are indexed after this run.
   */
  private async prepareBatch(
    options: IndexOptions,
    candidates: Candidate[],
    stored: Map<string, string>,
    report: IndexReport,
    kept?: Set<string>,
  ): Promise<PreparedBatch> {
    const prepared: PreparedFile[] = [];
    for (const candidate of candidates) {
      let content: string;
      try {
        content = wellFormed(await candidate.load());
      } catch (error) {
        fail(report, candidate.path, `could not read the file: ${(error as Error).message}`);
        continue;
      }
      if (looksBinary(content)) {
        fail(report, candidate.path, 'binary content: skipped');
        continue;
      }
      const hash = contentHash(content, candidate.language);
      if (stored.get(candidate.path) === hash) {
        report.files_unchanged += 1;
        kept?.add(candidate.path);
        continue;
      }
      try {
        const file = await prepareFile(this.deps.runtime, candidate.path, content, candidate.language, hash);
        if (file.warning) report.errors.push({ path: file.path, error: `${file.warning}; indexed what parsed` });
        prepared.push(file);
        kept?.add(candidate.path);
      } catch (error) {
        fail(report, candidate.path, `could not parse the file: ${(error as Error).message}`);
      }
    }
    const embeddings = prepared.length === 0 || options.embeddings === false ? [] : await this.embed(prepared);
    return { files: prepared, embeddings };
  }

  /** TEXT vectors of each chunk's rendering and CODE vectors of its source, batched across files. */
  private async embed(files: PreparedFile[]): Promise<ChunkEmbeddings[]> {
    const { textEmbedder, codeEmbedder } = this.deps;
    const chunks = files.flatMap((file) => file.chunks);
    const text = textEmbedder ? await embedAll(textEmbedder, chunks.map(textRendering)) : undefined;
    const code = codeEmbedder
      ? await embedAll(
          codeEmbedder,
          chunks.map((chunk) => embeddableSource(chunk.source, chunk.name)),
        )
      : undefined;
    let offset = 0;
    return files.map((file) => {
      const count = file.chunks.length;
      const slice: ChunkEmbeddings = {
        text: text && textEmbedder ? { vectors: text.slice(offset, offset + count), model: textEmbedder.modelId } : undefined,
        code: code && codeEmbedder ? { vectors: code.slice(offset, offset + count), model: codeEmbedder.modelId } : undefined,
      };
      offset += count;
      return slice;
    });
  }
}

/** Embedders refuse blank text; a whitespace-only chunk is represented by its name. */
function embeddableSource(source: string, name: string): string {
  return source.trim() === '' ? splitIdentifiers(name) || name : source;
}

async function embedAll(embedder: Embedder, texts: string[]): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    vectors.push(...(await embedder.embed(texts.slice(i, i + EMBED_BATCH), { kind: 'document' })));
  }
  return vectors;
}

function fail(report: IndexReport, path: string, error: string): void {
  report.files_failed += 1;
  report.errors.push({ path, error });
}

function emptyReport(repository: string): IndexReport {
  return { repository, files_indexed: 0, files_unchanged: 0, files_failed: 0, chunks: 0, nodes: 0, edges: 0, errors: [], took_ms: 0 };
}
