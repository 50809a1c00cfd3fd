import type { ImportRef } from './imports';

/** The chunk types of the API contract. */
export const CHUNK_TYPES = ['function', 'method', 'class', 'interface', 'module', 'block'] as const;
export type ChunkType = (typeof CHUNK_TYPES)[number];

/** A definition found in a parsed file, with its metadata; line numbers are 1-based, inclusive. */
export interface Definition {
  /** Grammar-level kind: function, method, constructor, class, struct, enum, interface, trait, module. */
  kind: string;
  chunkType: Exclude<ChunkType, 'module' | 'block'>;
  name: string;
  qualifiedName: string;
  startLine: number;
  endLine: number;
  /** Line of the name: after decorators, annotations and `export`, where ctags places the tag. */
  nameLine: number;
  startIndex: number;
  endIndex: number;
  /** Index of the enclosing chunked definition in the file's list, or -1 at top level. */
  parent: number;
  signature: string;
  parameters: string[];
  returnType: string | null;
  docstring: string | null;
  complexity: number;
  /** Callees as written: `name`, or `receiver.name` when the receiver is a plain identifier path. */
  calls: string[];
}

export interface ParsedFile {
  language: string;
  definitions: Definition[];
  /** Calls made outside every definition (module top level). */
  topLevelCalls: string[];
  imports: ImportRef[];
  /** Set when the grammar reported syntax errors: what parsed is still indexed. */
  syntaxError: string | null;
}
