/**
 * Synthetic agent memories the benchmarks share: events spread over 12 months, text drawn from a Zipf
 * vocabulary (a few words everywhere, most rare), metadata with a 1% bucket, and queries taken from
 * stored texts so that every query has true neighbours. Deterministic (seeded), so runs compare.
 */
import type { CreateEventInput } from '@mnemolite/memory';

export const MONTHS = 12;
/** metadata.bucket = i % 100: one bucket is a 1% filter. */
export const BUCKETS = 100;
/** metadata.kind = one of these, in turn: each is a 20% filter. */
const KINDS = ['note', 'task', 'chat', 'doc', 'log'];
/** Stored texts the generator keeps to draw its queries from (the first events it makes). */
const QUERY_TEXTS = 5000;

/** Deterministic pseudo-random numbers, so runs are comparable. */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 3,000 pronounceable words, drawn with a Zipf law: a few are everywhere, most are rare. */
export function vocabulary(random: () => number): { words: string[]; draw: () => string } {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'su', 'ta', 'ri', 'po', 've', 'da', 'xo', 'bel', 'tran', 'gor', 'fil', 'mar', 'son', 'quin'];
  const words = new Set<string>();
  while (words.size < 3000) {
    const length = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length }, () => syllables[Math.floor(random() * syllables.length)]).join(''));
  }
  const list = [...words];
  const weights = list.map((_, rank) => 1 / (rank + 1));
  const cumulative: number[] = [];
  weights.reduce((sum, weight, i) => (cumulative[i] = sum + weight), 0);
  const total = cumulative[cumulative.length - 1];
  const draw = () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return list[low];
  };
  return { words: list, draw };
}

export interface Generator {
  event(i: number): CreateEventInput;
  queryText(): string;
  lexicalQuery(): string;
  monthWindow(): { ts_start: string; ts_end: string };
  bucket(): number;
  /** One of the five `metadata.kind` values: each is on a fifth of the events. */
  kind(): string;
  /** Makes again the events whose texts queries are drawn from, for a store this generator filled earlier. */
  replayQueryTexts(): void;
}

export function generator(now: Date): Generator {
  const random = rng(7);
  const vocab = vocabulary(random);
  const span = MONTHS * 30 * 86_400_000;
  const start = now.getTime() - span;
  const texts: string[] = [];
  const frequent = new Set(vocab.words.slice(0, 50));
  return {
    event(i) {
      const text = Array.from({ length: 12 + Math.floor(random() * 20) }, vocab.draw).join(' ');
      if (texts.length < QUERY_TEXTS) texts.push(text);
      return {
        content: { text, source: 'bench' },
        // `common` is on 95% of the events: a filter that keeps almost everything.
        metadata: { bucket: i % BUCKETS, agent: `agent-${i % 10}`, kind: KINDS[i % KINDS.length], common: i % BUCKETS < 95 },
        timestamp: new Date(start + Math.floor(random() * span)).toISOString(),
      };
    },
    // A few words of a stored text: every query has true neighbours, as real recall queries do.
    queryText() {
      const words = texts[Math.floor(random() * texts.length)].split(' ');
      const from = Math.floor(random() * Math.max(1, words.length - 5));
      return words.slice(from, from + 3 + Math.floor(random() * 3)).join(' ');
    },
    // Two content words of a stored text. The 50 most frequent words of the Zipf vocabulary occur in
    // most texts, as stop words do; a text-search configuration with a stop-word list drops those.
    lexicalQuery() {
      const words = texts[Math.floor(random() * texts.length)].split(' ').filter((word) => !frequent.has(word));
      const from = Math.floor(random() * Math.max(1, words.length - 2));
      return words.slice(from, from + 2).join(' ');
    },
    monthWindow() {
      const month = new Date(start + Math.floor(random() * span));
      const first = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1));
      const last = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1) - 1);
      return { ts_start: first.toISOString(), ts_end: last.toISOString() };
    },
    bucket: () => Math.floor(random() * BUCKETS),
    kind: () => KINDS[Math.floor(random() * KINDS.length)],
    replayQueryTexts() {
      for (let i = 0; i < QUERY_TEXTS; i++) this.event(i);
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
