declare module 'wink-porter2-stemmer' {
  /** Snowball's English (Porter2) stemmer: the one PostgreSQL's `english` configuration uses. */
  function stem(word: string): string;
  export = stem;
}
