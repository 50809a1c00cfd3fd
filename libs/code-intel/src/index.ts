export { chunkParsedFile, chunkUnparsedFile, MAX_CHUNK_CHARS, WINDOW_CHARS, WINDOW_OVERLAP } from './chunking/chunk-file';
export type { ChunkMetadata, CodeChunk } from './chunking/code-chunk';
export { resolveRepositoryGraph, type GraphDefinition, type GraphFile, type Resolution } from './graph/call-resolver';
export {
  CodeGraph,
  GRAPH_NODE_LIMIT,
  type GraphEdgeView,
  type GraphNeighbourhood,
  type GraphNodeView,
  type GraphStats,
} from './graph/code-graph';
export {
  CodeIndexer,
  MAX_BATCH_FILES,
  type CodeIndexerDeps,
  type IndexFileInput,
  type IndexOptions,
  type IndexProgress,
  type IndexReport,
} from './indexing/code-indexer';
export { MAX_FILE_BYTES } from './indexing/directory-walker';
export { splitIdentifiers } from './indexing/search-text';
export type { ChunkType, Definition, ParsedFile } from './parsing/definition';
export { detectLanguage, isParsedLanguage, PARSED_LANGUAGES, type ParsedLanguage } from './parsing/languages';
export { parseFile } from './parsing/parse-file';
export { TreeSitterRuntime } from './parsing/tree-sitter-runtime';
export { CodeCatalog, type ChunkPage, type RepositorySummary } from './search/code-catalog';
export type { ChunkFilters, ChunkView } from './search/chunk-row';
export { CodeSearch, RRF_K, type CodeSearchMode, type CodeSearchQuery, type CodeSearchResult } from './search/code-search';
