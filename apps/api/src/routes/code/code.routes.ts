import { Router } from 'express';
import { CodeCatalog, CodeGraph, CodeIndexer, CodeSearch, TreeSitterRuntime } from '@mnemolite/code-intel';
import type { DbHandle } from '@mnemolite/db';
import type { Embedder } from '@mnemolite/embeddings';
import type { ApiFeature } from '../../feature';
import { requestNamespace } from '../../http/request-scope';
import { highlightSource } from '../../ui/highlight';
import { registerCodeDocs } from './code.docs';
import {
  chunkIdSchema,
  chunkViewQuerySchema,
  chunksQuerySchema,
  indexRequestSchema,
  neighboursQuerySchema,
  pathQuerySchema,
  repositoryParamSchema,
  searchRequestSchema,
  statsQuerySchema,
} from './code.schemas';
import { requireRole } from '../../http/auth';

export interface CodeFeatureDeps {
  database: DbHandle;
  /** Absolute directories that `POST /v1/code/index {"path"}` may read (CODE_INDEX_ROOTS); none: 403. */
  indexRoots: string[];
  /** Embeds each chunk's natural-language rendering (name, signature, docstring). */
  textEmbedder?: Embedder;
  /** Embeds chunk sources and search queries. Without it, searches are lexical. */
  codeEmbedder?: Embedder;
  /** Parsers and queries in WASM memory; created here when not given, freed by `close()`. */
  runtime?: TreeSitterRuntime;
}

export type CodeFeature = ApiFeature & { close(): Promise<void> };

/** `/v1/code/*`: thin handlers over the code-intel services; validation by the zod schemas. */
export function createCodeFeature(deps: CodeFeatureDeps): CodeFeature {
  const runtime = deps.runtime ?? new TreeSitterRuntime();
  const db = deps.database.db;
  const indexer = new CodeIndexer({
    db,
    runtime,
    textEmbedder: deps.textEmbedder,
    codeEmbedder: deps.codeEmbedder,
    indexRoots: deps.indexRoots,
  });
  const search = new CodeSearch({ db, codeEmbedder: deps.codeEmbedder });
  const catalog = new CodeCatalog({ db });
  const graph = new CodeGraph({ db });
  const router = Router();

  router.post('/code/index', requireRole('write'), async (req, res) => {
    const body = indexRequestSchema.parse(req.body);
    const options = { repository: body.repository, commit: body.commit ?? null, embeddings: body.embeddings, graph: body.graph };
    const namespace = requestNamespace(res);
    const report = body.files
      ? await indexer.indexFiles(namespace, options, body.files)
      : await indexer.indexDirectory(namespace, options, body.path as string);
    res.status(201).json(report);
  });

  router.get('/code/repositories', requireRole('read'), async (_req, res) => {
    res.json(await catalog.listRepositories(requestNamespace(res)));
  });

  router.delete('/code/repositories/:name', requireRole('write'), async (req, res) => {
    const { name } = repositoryParamSchema.parse(req.params);
    res.json(await catalog.deleteRepository(requestNamespace(res), name));
  });

  router.post('/code/search', requireRole('read'), async (req, res) => {
    const started = performance.now();
    const body = searchRequestSchema.parse(req.body);
    const { results, mode } = await search.search(requestNamespace(res), body);
    res.json({ results, mode, took_ms: Math.round(performance.now() - started) });
  });

  router.get('/code/chunks', requireRole('read'), async (req, res) => {
    const { limit, offset, ...filters } = chunksQuerySchema.parse(req.query);
    res.json(await catalog.listChunks(requestNamespace(res), filters, limit, offset));
  });

  router.get('/code/chunks/:id', requireRole('read'), async (req, res) => {
    const { id } = chunkIdSchema.parse(req.params);
    const { highlight } = chunkViewQuerySchema.parse(req.query);
    const chunk = await catalog.getChunk(requestNamespace(res), id);
    res.json(highlight ? { ...chunk, source_html: highlightSource(chunk.source ?? '', chunk.language) } : chunk);
  });

  router.get('/code/graph/stats', requireRole('read'), async (req, res) => {
    const { repository } = statsQuerySchema.parse(req.query);
    res.json(await graph.stats(requestNamespace(res), repository));
  });

  router.get('/code/graph/callers', requireRole('read'), async (req, res) => {
    const q = neighboursQuerySchema.parse(req.query);
    res.json(await graph.callers(requestNamespace(res), q.repository, q.symbol, q.depth, q.limit));
  });

  router.get('/code/graph/callees', requireRole('read'), async (req, res) => {
    const q = neighboursQuerySchema.parse(req.query);
    res.json(await graph.callees(requestNamespace(res), q.repository, q.symbol, q.depth, q.limit));
  });

  router.get('/code/graph/path', requireRole('read'), async (req, res) => {
    const q = pathQuerySchema.parse(req.query);
    res.json(await graph.path(requestNamespace(res), q.repository, q.from, q.to, q.max_depth, q.relation));
  });

  return {
    name: 'code',
    router,
    registerDocs: registerCodeDocs,
    close: () => (deps.runtime ? Promise.resolve() : runtime.close()),
  };
}
