import { Router } from 'express';
import type { Database } from '@mnemolite/db';
import type { Embedder } from '@mnemolite/embeddings';
import { EventsService, GraphService, SearchService } from '@mnemolite/memory';
import type { ApiFeature } from '../../feature';
import type { OpenAPIRegistry } from '../../openapi/document';
import { eventsRoutes, registerEventsDocs } from './events.routes';
import { graphRoutes, registerGraphDocs } from './graph.routes';
import { registerSearchDocs, searchRoutes } from './search.routes';

export interface MemoryFeatureDeps {
  db: Database;
  /** The TEXT model; events are embedded with it and only its vectors are searched. */
  textEmbedder: Embedder;
  /** Whether a worker consumes the queue now; async writes are refused (503) otherwise. */
  workerAvailable: () => Promise<boolean>;
  /** HNSW `ef_search` for vector queries (default: the memory lib's). */
  efSearch?: number;
}

/** Agent memory over HTTP: events, search and the memory graph, mounted under `/v1`. */
export function createMemoryFeature(deps: MemoryFeatureDeps): ApiFeature {
  const events = new EventsService(deps);
  const search = new SearchService({ db: deps.db, textEmbedder: deps.textEmbedder, efSearch: deps.efSearch });
  const graph = new GraphService({ db: deps.db });
  const router = Router();
  router.use(eventsRoutes({ ...deps, events }));
  router.use(searchRoutes({ search }));
  router.use(graphRoutes({ graph }));
  return {
    name: 'memory',
    router,
    registerDocs(registry: OpenAPIRegistry) {
      registerEventsDocs(registry);
      registerSearchDocs(registry);
      registerGraphDocs(registry);
    },
  };
}
