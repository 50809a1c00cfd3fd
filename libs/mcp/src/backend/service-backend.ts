import { DEFAULT_NAMESPACE, ValidationError, namespaceSchema } from '@mnemolite/common';
import { createCodeServices, type TreeSitterRuntime } from '@mnemolite/code-intel';
import { describeDatabase, type DbHandle } from '@mnemolite/db';
import type { Embedder } from '@mnemolite/embeddings';
import {
  EventsService,
  GraphService,
  SearchService,
  createEdgeSchema,
  createEventSchema,
  createEventsBatchSchema,
  createNodeSchema,
  eventIdParamsSchema,
  listEventsQuerySchema,
  neighborsQuerySchema,
  nodeIdParamsSchema,
  patchMetadataSchema,
  pathQuerySchema,
  searchRequestSchema,
} from '@mnemolite/memory';
import type { HealthReport, MnemoBackend } from './backend';

export interface ServiceBackendDeps {
  database: DbHandle;
  /** The TEXT model (events, and the text rendering of code chunks). */
  textEmbedder: Embedder;
  /** The CODE model; without it code search is lexical. */
  codeEmbedder?: Embedder;
  /** CODE_INDEX_ROOTS: directories the code-index tool may read; none refuses every directory. */
  indexRoots: string[];
  /** Parsers in WASM memory; shared with the REST routes when given, else made here and freed by `close()`. */
  runtime?: TreeSitterRuntime;
  version: string;
  embeddingStatus?: () => NonNullable<HealthReport['embeddings']>;
  /** When the process started (uptime), default: now. */
  startedAt?: number;
  efSearch?: number;
  /** The namespace the backend serves (MNEMOLITE_NAMESPACE for the stdio server); default "default". */
  namespace?: string;
}

export type ServiceBackend = MnemoBackend & { close(): Promise<void> };

/** Query-string form of optional values, so the REST routes' query schemas parse them unchanged. */
function queryText(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/**
 * The MCP backend over the library services, in this process: the same classes, and the same zod
 * schemas, as the REST routes use, so a tool call and the matching request behave alike. It serves
 * `deps.namespace` ("default" unless given); `withNamespace` gives the same services confined to
 * another one (the API's `/mcp` takes the request's).
 */
export function createServiceBackend(deps: ServiceBackendDeps): ServiceBackend {
  const db = deps.database.db;
  const startedAt = deps.startedAt ?? Date.now();
  const events = new EventsService({ db, textEmbedder: deps.textEmbedder });
  const search = new SearchService({ db, textEmbedder: deps.textEmbedder, efSearch: deps.efSearch });
  const graph = new GraphService({ db });
  const code = createCodeServices({
    db,
    indexRoots: deps.indexRoots,
    textEmbedder: deps.textEmbedder,
    codeEmbedder: deps.codeEmbedder,
    runtime: deps.runtime,
  });

  const scoped = (namespace: string): MnemoBackend => ({
    via: 'in-process',
    namespace,
    withNamespace: (other) => scoped(namespaceSchema.parse(other)),
    createEvent: (input) => events.create(namespace, createEventSchema.parse(input)),
    createEvents: (inputs) => events.createMany(namespace, createEventsBatchSchema.parse({ events: inputs }).events),
    searchEvents: (input) => search.search(namespace, searchRequestSchema.parse(input)),
    getEvent: (id) => events.get(namespace, eventIdParamsSchema.parse({ id }).id),
    patchMetadata: (id, patch) => events.patchMetadata(namespace, eventIdParamsSchema.parse({ id }).id, patchMetadataSchema.parse(patch)),
    async deleteEvent(id) {
      await events.delete(namespace, eventIdParamsSchema.parse({ id }).id);
    },
    listEvents: (input) => events.list(namespace, listEventsQuerySchema.parse(queryText({ ...input }))),

    createNode: (input) => graph.createNode(namespace, createNodeSchema.parse(input)),
    createEdge: (input) => graph.createEdge(namespace, createEdgeSchema.parse(input)),
    neighbors: (id, input) =>
      graph.neighbors(namespace, nodeIdParamsSchema.parse({ id }).id, neighborsQuerySchema.parse(queryText({ ...input }))),
    path: (input) => graph.path(namespace, pathQuerySchema.parse(queryText({ ...input }))),

    async indexCode(input, onProgress) {
      const options = {
        repository: input.repository,
        commit: input.commit ?? null,
        embeddings: input.embeddings ?? true,
        graph: input.graph ?? true,
      };
      if (input.files !== undefined && input.path === undefined) return code.indexing.indexFiles(namespace, options, input.files);
      if (input.path !== undefined && input.files === undefined)
        return code.indexing.indexDirectory(namespace, options, input.path, onProgress);
      throw new ValidationError('Give either "path" (a directory on the server) or "files", not both and not neither.', {
        path: 'files',
      });
    },
    async searchCode(input) {
      const started = performance.now();
      const { results, mode } = await code.search.search(namespace, input);
      return { results, mode, took_ms: Math.round(performance.now() - started) };
    },
    callers: (repository, symbol, depth = 1) => code.graph.callers(namespace, repository, symbol, depth),
    callees: (repository, symbol, depth = 1) => code.graph.callees(namespace, repository, symbol, depth),
    repositories: () => code.catalog.listRepositories(namespace),
    deleteRepository: (name) => code.catalog.deleteRepository(namespace, name),

    health,
  });

  async function health(): Promise<HealthReport> {
    const database = await describeDatabase(deps.database);
    return {
      status: database.ok ? 'ok' : 'degraded',
      version: deps.version,
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
      database,
      ...(deps.embeddingStatus ? { embeddings: deps.embeddingStatus() } : {}),
    };
  }

  return {
    ...scoped(namespaceSchema.parse(deps.namespace ?? DEFAULT_NAMESPACE)),
    close: code.close,
  };
}
