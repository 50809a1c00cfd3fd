import type { ChunkType } from '../parsing/definition';

/** Per-chunk metadata, stored as JSON (`metadata` of the chunk object). */
export interface ChunkMetadata {
  complexity: number;
  parameters: string[];
  return_type: string | null;
  calls: string[];
  imports: string[];
  /** Grammar-level kind (struct, trait, constructor, ...) behind the contract's chunk type. */
  kind: string;
  /** Set on the parts of a unit split for size: 1-based part number and the number of parts. */
  part?: number;
  parts?: number;
  [key: string]: unknown;
}

/** A chunk ready to store: what the indexer writes to `code_chunks`, minus ids and embeddings. */
export interface CodeChunk {
  chunkType: ChunkType;
  name: string;
  qualifiedName: string;
  signature: string | null;
  docstring: string | null;
  startLine: number;
  endLine: number;
  source: string;
  metadata: ChunkMetadata;
  /** Index of the definition in the parsed file (graph node link); -1 for module and block chunks. */
  definition: number;
}
