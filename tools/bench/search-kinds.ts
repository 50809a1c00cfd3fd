/**
 * The kinds of search `bench:memory` times and `bench:search-ab` compares: each makes the body of one
 * `POST /v1/search` (before defaults) from the synthetic generator, so both benches ask the same things.
 */
import type { Generator } from './synthetic-events';

export interface SearchKind {
  name: string;
  request(gen: Generator): Record<string, unknown>;
}

export const SEARCH_KINDS: SearchKind[] = [
  { name: 'vector', request: (gen) => ({ query: gen.queryText(), mode: 'vector' }) },
  { name: 'lexical', request: (gen) => ({ query: gen.lexicalQuery(), mode: 'lexical' }) },
  // Two words from the start of a stored text: the frequent words of the Zipf vocabulary are there.
  { name: 'lexical (frequent words)', request: (gen) => ({ query: gen.queryText().split(' ').slice(0, 2).join(' '), mode: 'lexical' }) },
  { name: 'hybrid', request: (gen) => ({ query: gen.queryText(), mode: 'hybrid' }) },
  { name: 'lexical + 1% metadata', request: (gen) => ({ query: gen.lexicalQuery(), mode: 'lexical', metadata: { bucket: gen.bucket() } }) },
  // One of five kinds: a filter that keeps a fifth of the events (the same statement as the 1% one).
  { name: 'lexical + 20% metadata', request: (gen) => ({ query: gen.lexicalQuery(), mode: 'lexical', metadata: { kind: gen.kind() } }) },
  { name: 'lexical + 95% metadata', request: (gen) => ({ query: gen.lexicalQuery(), mode: 'lexical', metadata: { common: true } }) },
  { name: 'vector + 1% metadata', request: (gen) => ({ query: gen.queryText(), mode: 'vector', metadata: { bucket: gen.bucket() } }) },
  { name: 'hybrid + 1% metadata', request: (gen) => ({ query: gen.queryText(), mode: 'hybrid', metadata: { bucket: gen.bucket() } }) },
  { name: 'vector + 1-month window', request: (gen) => ({ query: gen.queryText(), mode: 'vector', ...gen.monthWindow() }) },
  { name: 'filter-only (1% metadata)', request: (gen) => ({ metadata: { bucket: gen.bucket() } }) },
];
