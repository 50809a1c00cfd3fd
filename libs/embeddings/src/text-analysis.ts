// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the untyped package's declaration must reach every project that compiles this file
/// <reference path="./types/wink-porter2-stemmer.d.ts" />
import stem from 'wink-porter2-stemmer';

/**
 * PostgreSQL's English stop words (`tsearch_data/english.stop`, from Snowball), so that the hash
 * embedder drops exactly the words lexical search drops.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers ' +
    'herself it its itself they them their theirs themselves what which who whom this that these those am is are ' +
    'was were be been being have has had having do does did doing a an the and but if or because as until while ' +
    'of at by for with about against between into through during before after above below to from up down in out ' +
    'on off over under again further then once here there when where why how all any both each few more most other ' +
    'some such no nor not only own same so than too very s t can will just don should now'
  ).split(' '),
);

/** Lower-cased words, with identifiers split: `getUserById` -> get user by id, `snake_case` -> snake case. */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** One analysed word: its surface form and its stem (Snowball English, as PostgreSQL's `english`). */
export interface AnalysedWord {
  word: string;
  stem: string;
}

/**
 * The words of `text` as PostgreSQL's `english` configuration sees them: split, lower-cased, stop words
 * dropped, stemmed. Words with digits are kept as they are (the stemmer is for words).
 */
export function analyseEnglish(text: string): AnalysedWord[] {
  const words: AnalysedWord[] = [];
  for (const word of tokenize(text)) {
    if (ENGLISH_STOP_WORDS.has(word)) continue;
    words.push({ word, stem: /\p{N}/u.test(word) ? word : stem(word) });
  }
  return words;
}
