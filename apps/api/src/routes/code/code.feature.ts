import { Router } from 'express';
import { createCodeServices, type TreeSitterRuntime } from '@mnemolite/code-intel';
import type { DbHandle } from '@mnemolite/db';
import type { Embedder } from '@mnemolite/embeddings';
import type { ApiFeature } from '../../feature';
import type { OpenAPIRegistry } from '../../openapi/document';
import { codeChunksRoutes, registerCodeChunksDocs } from './chunks.routes';
import { codeGraphRoutes, registerCodeGraphDocs } from './graph.routes';
import { codeIndexingRoutes, registerCodeIndexingDocs } from './indexing.routes';
import { codeRepositoriesRoutes, registerCodeRepositoriesDocs } from './repositories.routes';
import { codeSearchRoutes, registerCodeSearchDocs } from './search.routes';

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

/** Code intelligence over HTTP: indexing, repositories, search, chunks and the code graph, mounted under `/v1`. */
export function createCodeFeature(deps: CodeFeatureDeps): CodeFeature {
  const { database, ...rest } = deps;
  const services = createCodeServices({ db: database.db, ...rest });
  const router = Router();
  router.use(codeIndexingRoutes(services));
  router.use(codeRepositoriesRoutes(services));
  router.use(codeSearchRoutes(services));
  router.use(codeChunksRoutes(services));
  router.use(codeGraphRoutes(services));
  return {
    name: 'code',
    router,
    registerDocs(registry: OpenAPIRegistry) {
      registerCodeIndexingDocs(registry);
      registerCodeRepositoriesDocs(registry);
      registerCodeSearchDocs(registry);
      registerCodeChunksDocs(registry);
      registerCodeGraphDocs(registry);
    },
    close: services.close,
  };
}
