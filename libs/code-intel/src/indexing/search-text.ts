import { tokenize } from '@mnemolite/embeddings';
import type { CodeChunk } from '../chunking/code-chunk';
import type { ComputedColumn } from './bulk-insert';

/** Body text beyond this is left out of the full-text vector (it stays in `source`). */
const BODY_MAX_CHARS = 100_000;

/** `getUserById` -> `get user by id`; `HttpClient.fetchJson` -> `http client fetch json`. */
export function splitIdentifiers(text: string): string {
  return tokenize(text).join(' ');
}

/**
 * The parts of a chunk's `search_text`: names weigh most (A, split and also whole, lower-cased, so
 * that both `get user` and `getuserbyid` match), then signature and docstring (B), then the body's
 * distinct words (D).
 */
export interface SearchTextParts {
  names: string;
  header: string;
  body: string;
}

export function searchTextParts(chunk: CodeChunk): SearchTextParts {
  return {
    names: `${splitIdentifiers(`${chunk.name} ${chunk.qualifiedName}`)} ${chunk.name.toLowerCase()} ${chunk.qualifiedName.toLowerCase()}`,
    header: splitIdentifiers(`${chunk.signature ?? ''} ${chunk.docstring ?? ''}`),
    // Distinct words only: the body matters for matching, its word counts hardly for ranking, and
    // the vector (and its GIN entries) shrinks several times over.
    body: [...new Set(tokenize(chunk.source.slice(0, BODY_MAX_CHARS)))].join(' '),
  };
}

/**
 * `search_text`, built by SQL from the parts in record `r`. Names keep the `simple` configuration (an
 * identifier is matched as written); signature, docstring and body words go through `english` (stop
 * words dropped, words stemmed), so a question in plain words ("where are failed jobs retried") meets
 * `failJob`'s "the job is retried". Code search queries both forms (see `CodeSearchService`).
 */
export const SEARCH_TEXT_COLUMN: ComputedColumn = {
  inputs: { names: 'text', header: 'text', body: 'text' },
  expression:
    "setweight(to_tsvector('simple', r.names), 'A') || setweight(to_tsvector('english', r.header), 'B') || " +
    "setweight(to_tsvector('english', r.body), 'D')",
};

/**
 * Bumped when `search_text` is made differently: it is part of every file's content hash, so the next
 * index run re-analyses files indexed before (v2: English analysis of signature, docstring and body).
 */
export const SEARCH_TEXT_VERSION = 'search-text-v2';

/** The natural-language rendering embedded by the TEXT model: what the unit is and says it does. */
export function textRendering(chunk: CodeChunk): string {
  return [`${chunk.chunkType} ${chunk.qualifiedName} (${splitIdentifiers(chunk.qualifiedName)})`, chunk.signature, chunk.docstring]
    .filter((part): part is string => Boolean(part && part.trim()))
    .join('\n');
}
