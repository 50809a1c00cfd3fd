import { sql, type SQL } from 'drizzle-orm';
import { queryPreparedRows, type Database } from '@mnemolite/db';

/**
 * BM25 (Robertson & Zaragoza, "The Probabilistic Relevance Framework", 2009) over `events.search_text`.
 * k1 = 1.2 and b = 0.75 are the textbook values; `npm run bench:recall` compares this ranking with a
 * BM25 computed outside the database on the same lexemes.
 */
export const BM25 = { k1: 1.2, b: 0.75 } as const;

/**
 * Most events one lexical search scores (twice this when every word is frequent). Query words are
 * taken rarest first while their document frequencies add up to at most this many events (the rarest
 * always), so a query made of words that are in most rows never scans and ranks every match (see
 * SEARCH.md, "bounded cost", for the measurements behind the value).
 */
export const LEXICAL_CANDIDATE_BUDGET = 1000;

/** One analysed query word: its lexeme, how many events hold it, and its BM25 weight. */
export interface WeightedTerm {
  lexeme: string;
  df: number;
  idf: number;
}

/** A query analysed for BM25: its weighted lexemes, the corpus averages, and what candidates must match. */
export interface LexicalQuery {
  terms: WeightedTerm[];
  /** Average event length in tokens (lexemes with their repeats, stop words left out). */
  averageLength: number;
  /** Lexemes a candidate must hold at least one of (rarest first, within the budget; the rarest always). */
  candidateLexemes: string[];
  /**
   * When every word is frequent (even the rarest is in more events than the budget): all of them.
   * Events holding every one are the best matches and are taken first; events holding the rarest
   * fill the candidates up to `candidateLimit`, so a query whose words never meet still finds events.
   */
  bestMatchLexemes: string[] | null;
  /** Quoted phrases and `-word` exclusions of the query (websearch syntax), or null. */
  constraint: string | null;
  /** The largest BM25 score this query can reach: scores are divided by it (0..1). */
  maxScore: number;
  /** Events in the store (with text). */
  docs: number;
  /** Most candidates scored (the budget: reached when every word is frequent, or words sum to it). */
  candidateLimit: number;
}

/** Robertson-Sparck Jones idf as in Lucene's BM25 (never negative). */
export function idf(df: number, docs: number): number {
  return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
}

/**
 * Quoted phrases and `-word` exclusions, kept in websearch syntax: candidates must satisfy them
 * (`websearch_to_tsquery`), while every word is ranked by BM25. Null when the query has neither.
 */
export function queryConstraint(query: string): string | null {
  const parts = [...query.matchAll(/"[^"]+"|(?:^|\s)-[^\s"]+/g)].map((match) => match[0].trim());
  return parts.length === 0 ? null : parts.join(' ');
}

/** The query without its `-word` exclusions: the words that are ranked. */
function rankedText(query: string): string {
  return query.replace(/(?:^|\s)-[^\s"]+/g, ' ');
}

/**
 * Analyses `query` with the database's text search configuration (`search_settings`, the one
 * `events.search_text` is written with), reads the document frequencies of its lexemes and the corpus
 * size in `namespace` (each namespace is a corpus of its own), and picks the candidate lexemes. One round trip. Null when no word is left to rank (only
 * stop words, or only exclusions).
 */
export async function analyseLexicalQuery(
  db: Database,
  namespace: string,
  query: string,
  budget = LEXICAL_CANDIDATE_BUDGET,
): Promise<LexicalQuery | null> {
  // One text whatever the query: prepared, its plan is made once per connection.
  const rows = await queryPreparedRows<{ lexeme: string; df: number; docs: number; tokens: number }>(
    db,
    sql`with config as (
          select value::regconfig as name from search_settings where key = 'text_search_config'
        ), corpus as (
          select coalesce(sum(docs), 0)::float8 as docs, coalesce(sum(tokens), 0)::float8 as tokens
            from corpus_stats where namespace = ${namespace}
        )
        select t.lexeme, coalesce((select sum(s.df) from lexeme_stats s where s.namespace = ${namespace} and s.lexeme = t.lexeme), 0)::float8 as df,
               corpus.docs, corpus.tokens
          from config, corpus, unnest(to_tsvector(config.name, ${rankedText(query)})) as t
         order by t.lexeme`,
  );
  if (rows.length === 0) return null;
  const docs = Math.max(rows[0].docs, 1);
  const averageLength = rows[0].tokens > 0 ? rows[0].tokens / docs : 1;
  const terms = rows.map((row) => ({ lexeme: row.lexeme, df: row.df, idf: idf(row.df, docs) }));
  const byRarity = [...terms].sort((a, b) => a.df - b.df || a.lexeme.localeCompare(b.lexeme));
  const candidateLexemes: string[] = [];
  let left = budget;
  for (const term of byRarity) {
    if (term.df === 0) continue; // in no event: matches nothing
    if (candidateLexemes.length > 0 && term.df > left) break;
    candidateLexemes.push(term.lexeme);
    left -= term.df;
  }
  const seen = byRarity.filter((term) => term.df > 0);
  const everyWordFrequent = seen.length > 1 && seen[0].df > budget;
  return {
    terms,
    averageLength,
    candidateLexemes,
    bestMatchLexemes: everyWordFrequent ? seen.map((term) => term.lexeme) : null,
    constraint: queryConstraint(query),
    maxScore: terms.reduce((sum, term) => sum + term.idf, 0) * (BM25.k1 + 1),
    docs,
    candidateLimit: budget,
  };
}

/**
 * Each query stem's idf in the store, for weighing the query's embedding features; a stem the store
 * has never seen weighs as much as the rarest possible word.
 */
export function termWeights(query: LexicalQuery): (stem: string) => number {
  const weights = new Map(query.terms.map((term) => [term.lexeme, term.idf]));
  const unseen = idf(0, query.docs);
  return (stem) => weights.get(stem) ?? unseen;
}

/** A tsquery literal of lexemes (already normalised: cast, not parsed again by a configuration). */
function lexemeQuery(lexemes: string[], operator: '|' | '&'): string {
  return lexemes.map((lexeme) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(` ${operator} `);
}

/** Quoted phrases and `-word` exclusions as a condition on `events` aliased `e`, if the query has any. */
function constraintConditions(query: LexicalQuery): SQL[] {
  return query.constraint === null
    ? []
    : [
        sql`e.search_text @@ websearch_to_tsquery((select value::regconfig from search_settings where key = 'text_search_config'), ${query.constraint})`,
      ];
}

/**
 * The WHERE conditions of each list of lexical candidates on `events` aliased `e`, in the order they are
 * taken: events holding every word first when every word is frequent (`bestMatchLexemes`), then those
 * holding a candidate word (and not already taken).
 */
export function lexicalCandidateConditions(query: LexicalQuery): SQL[][] {
  const anyCandidate = sql`e.search_text @@ ${lexemeQuery(query.candidateLexemes, '|')}::tsquery`;
  if (query.bestMatchLexemes === null) return [[anyCandidate, ...constraintConditions(query)]];
  const everyWord = sql`${lexemeQuery(query.bestMatchLexemes, '&')}::tsquery`;
  return [
    [sql`e.search_text @@ ${everyWord}`, ...constraintConditions(query)],
    [anyCandidate, sql`not (e.search_text @@ ${everyWord})`, ...constraintConditions(query)],
  ];
}

/** ζ(2) = π²/6, the limit of `ts_rank`'s sum over a lexeme's positions (see `termFrequency`). */
const ZETA_2 = Math.PI ** 2 / 6;

/**
 * How many positions `lexeme` has in `searchText` (0 when absent, 1 when stored without positions),
 * computed in C by `ts_rank`. With every weight 1 and no normalisation, `ts_rank` of a one-lexeme query
 * is H(tf) / ζ(2), where H(tf) = 1 + 1/2² + … + 1/tf² (PostgreSQL's `calc_rank_or`); since
 * ζ(2) - H(tf) = 1/(tf + 1/2) to within 1/(12 tf²), tf = round(1 / (ζ(2) (1 - rank)) - 1/2). A test checks
 * it against the positions for every tf up to PostgreSQL's 256 positions per lexeme. Measured: a quarter
 * to a half less scoring time than expanding the vector (`unnest`) per candidate (SEARCH.md).
 */
function termFrequency(searchText: SQL, lexeme: string): SQL {
  return sql`round(1 / (${ZETA_2}::float8 * (1 - ts_rank('{1,1,1,1}'::float4[], ${searchText}, ${lexemeQuery([lexeme], '|')}::tsquery, 0)::float8)) - 0.5)`;
}

/**
 * The BM25 score of an event, from its `search_text` and `search_length` (its tokens, kept by the
 * write trigger), divided by the query's best possible score: 0..1. One expression per query lexeme,
 * idf × (k1 + 1) × tf / (tf + K) written as idf × (k1 + 1) × (1 - K / (tf + K)) so that tf is computed
 * once, with K = k1 × (1 - b + b × length / average length). `tf` is the number of positions of a
 * lexeme, as in the statistics.
 */
export function bm25Score(searchText: SQL, searchLength: SQL, query: LexicalQuery): SQL {
  const { k1, b } = BM25;
  const saturation = sql`(${k1}::float8 * (${1 - b}::float8 + ${b}::float8 * coalesce(${searchLength}, ${query.averageLength}::float8) / ${query.averageLength}::float8))`;
  const perTerm = query.terms.map(
    (term) => sql`${term.idf * (k1 + 1)}::float8 * (1 - ${saturation} / (${termFrequency(searchText, term.lexeme)} + ${saturation}))`,
  );
  return sql`(${sql.join(perTerm, sql` + `)}) / ${query.maxScore}::float8`;
}
