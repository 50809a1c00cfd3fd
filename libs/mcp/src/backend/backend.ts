import type {
  CodeGraphEdge,
  CodeGraphNode,
  CodeSearchResult,
  DeletedCounts,
  IndexProgress,
  IndexReport,
  RepositorySummary,
} from '@mnemolite/code-intel';
import type {
  CreateEventInput,
  DIRECTIONS,
  Event,
  EventList,
  GraphEdge,
  GraphNode,
  GraphPath,
  Neighbors,
  SearchResponse,
  SEARCH_MODES,
} from '@mnemolite/memory';

type Direction = (typeof DIRECTIONS)[number];

/** Search as the REST body `POST /v1/search` takes it (before defaults are applied). */
export interface SearchInput {
  query?: string;
  mode?: (typeof SEARCH_MODES)[number];
  metadata?: Record<string, unknown>;
  ts_start?: string;
  ts_end?: string;
  limit?: number;
  offset?: number;
  min_score?: number;
}

/** `GET /v1/events` parameters, as values rather than query-string text. */
export interface ListEventsInput {
  metadata?: Record<string, unknown>;
  ts_start?: string;
  ts_end?: string;
  limit?: number;
  offset?: number;
}

export interface NeighborsInput {
  depth?: number;
  direction?: Direction;
  relation?: string;
}

export interface PathInput {
  from: string;
  to: string;
  max_depth?: number;
  relation?: string;
  direction?: Direction;
}

export interface CodeIndexInput {
  repository: string;
  /** A directory on the server (inside CODE_INDEX_ROOTS); exclusive with `files`. */
  path?: string;
  files?: { path: string; content: string; language?: string }[];
  commit?: string;
  embeddings?: boolean;
  graph?: boolean;
}

export interface CodeSearchInput {
  query: string;
  mode?: 'hybrid' | 'lexical' | 'vector';
  repository?: string;
  language?: string;
  chunk_type?: 'function' | 'method' | 'class' | 'interface' | 'module' | 'block';
  path_prefix?: string;
  limit?: number;
}

export interface CodeSearchOutput {
  results: CodeSearchResult[];
  mode: 'hybrid' | 'lexical' | 'vector';
  took_ms: number;
}

export interface CodeNeighbors {
  nodes: CodeGraphNode[];
  edges: CodeGraphEdge[];
}

/** What `GET /v1/health` answers (database and embedding models). */
export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptime_s: number;
  database: {
    ok: boolean;
    engine: 'postgres' | 'pglite' | 'citus';
    /** Only on a Citus coordinator. */
    citus?: { version: string; workers: number };
    server_version: string | null;
    latency_ms: number | null;
    extensions: Record<string, string | null>;
    error?: string;
  };
  embeddings?: Record<'text' | 'code', { model: string; mode: string; dimension: number; loaded: boolean; reason?: string }>;
}

/**
 * Everything the MCP tools need from MnemoLite, shaped like the REST contract. Two implementations:
 * the library services in this process (the API's `/mcp`, or a stdio server that opened the database
 * itself) and a REST client of a running API (a stdio server beside an API that owns the embedded
 * database). The tools therefore never hold a second implementation of any operation.
 * A backend is confined to one namespace: every operation reads and writes that namespace only.
 */
export interface MnemoBackend {
  /** Where the data is, for the health tool: `in-process` (this process holds the database) or the API's URL. */
  readonly via: string;
  /** The namespace every operation is confined to (`"default"` unless one was chosen). */
  readonly namespace: string;
  /** The same backend (same services, same connection) confined to another namespace. */
  withNamespace(namespace: string): MnemoBackend;
  createEvent(input: CreateEventInput): Promise<Event>;
  /** All or nothing. Ids in input order. */
  createEvents(inputs: CreateEventInput[]): Promise<string[]>;
  searchEvents(input: SearchInput): Promise<SearchResponse>;
  getEvent(id: string): Promise<Event>;
  patchMetadata(id: string, patch: Record<string, unknown>): Promise<Event>;
  deleteEvent(id: string): Promise<void>;
  listEvents(input: ListEventsInput): Promise<EventList>;

  createNode(input: { id?: string; type: string; label: string; properties?: Record<string, unknown> }): Promise<GraphNode>;
  createEdge(input: { source: string; target: string; relation: string; properties?: Record<string, unknown> }): Promise<GraphEdge>;
  neighbors(id: string, input: NeighborsInput): Promise<Neighbors>;
  path(input: PathInput): Promise<GraphPath>;

  /** `onProgress` reports files done of total where the backend can see them (in process). */
  indexCode(input: CodeIndexInput, onProgress?: (progress: IndexProgress) => void): Promise<IndexReport>;
  searchCode(input: CodeSearchInput): Promise<CodeSearchOutput>;
  callers(repository: string, symbol: string, depth?: number): Promise<CodeNeighbors>;
  callees(repository: string, symbol: string, depth?: number): Promise<CodeNeighbors>;
  repositories(): Promise<RepositorySummary[]>;
  deleteRepository(name: string): Promise<DeletedCounts>;

  health(): Promise<HealthReport>;
}
