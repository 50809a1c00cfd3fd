import { createHash } from 'node:crypto';
import { SEARCH_TEXT_VERSION } from './search-text';
import { chunkParsedFile, chunkUnparsedFile } from '../chunking/chunk-file';
import type { CodeChunk } from '../chunking/code-chunk';
import type { ParsedFile } from '../parsing/definition';
import { detectLanguage, isParsedLanguage } from '../parsing/languages';
import { parseFile } from '../parsing/parse-file';
import type { TreeSitterRuntime } from '../parsing/tree-sitter-runtime';

/** A file parsed and chunked, ready to write. */
export interface PreparedFile {
  path: string;
  language: string;
  contentHash: string;
  sizeBytes: number;
  lineCount: number;
  chunks: CodeChunk[];
  /** Null for languages without a grammar: they get no graph nodes beyond the file. */
  parsed: ParsedFile | null;
  /** A syntax error: the file is indexed with what parsed, and the error is reported. */
  warning: string | null;
}

/**
 * The content hash that decides whether a file changed: language included, so an override re-indexes,
 * and the search text version, so a change of analysis re-indexes too.
 */
export function contentHash(content: string, language: string): string {
  return createHash('sha256').update(SEARCH_TEXT_VERSION).update('\0').update(language).update('\0').update(content).digest('hex');
}

/** Binary content: a NUL character (git checks the first 8,000 bytes; PostgreSQL text holds none at all). */
export function looksBinary(content: string): boolean {
  return content.includes('\0');
}

/** Lone UTF-16 surrogates (possible in JSON input) become U+FFFD: PostgreSQL accepts only valid text. */
export function wellFormed(content: string): string {
  return content.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function languageOf(path: string, override?: string): string {
  return override ?? detectLanguage(path);
}

export async function prepareFile(
  runtime: TreeSitterRuntime,
  path: string,
  content: string,
  language: string,
  hash: string,
): Promise<PreparedFile> {
  const base = {
    path,
    language,
    contentHash: hash,
    sizeBytes: Buffer.byteLength(content, 'utf8'),
    lineCount: content === '' ? 0 : content.split('\n').length - (content.endsWith('\n') ? 1 : 0),
  };
  if (!isParsedLanguage(language)) return { ...base, chunks: chunkUnparsedFile(path, content), parsed: null, warning: null };
  const parsed = await parseFile(runtime, language, content);
  return { ...base, chunks: chunkParsedFile(path, content, parsed), parsed, warning: parsed.syntaxError };
}
