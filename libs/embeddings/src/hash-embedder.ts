import type { EmbedOptions, Embedder, EmbedderStatus } from './embedder';
import { analyseEnglish, type AnalysedWord } from './text-analysis';
import { assertEmbeddableTexts } from './validate-texts';

/**
 * Bump when the features or weights change: stored vectors of another version are not comparable, and
 * searches compare only vectors of the current model id (older rows are found lexically until
 * re-embedded). v1: raw words, bigrams and 3-5-grams. v2: PostgreSQL's English analysis (stop words,
 * Snowball stems), sub-linear term weights, n-grams of the surface form weighted per word.
 */
const ALGORITHM_VERSION = 'v2';

/**
 * Relative weights of the feature families: stems carry meaning, stem bigrams carry a little word
 * order, character n-grams of the surface form let unseen forms of a word (typos, compounds, forms the
 * stemmer does not fold) still meet. A word's n-grams share their weight, so long words do not drown
 * short ones.
 */
const WEIGHTS = { stem: 1, bigram: 0.5, charGrams: 0.6 } as const;
const CHAR_GRAM_SIZES = [3, 4, 5] as const;

/**
 * Deterministic feature hashing of analysed text, signed-hashed into `dimension` buckets and
 * L2-normalised. Each feature's weight grows sub-linearly with its count (1 + ln n), as in classic
 * tf weighting. Lexical similarity only, but no download, no model files, identical in every process.
 */
export class HashEmbedder implements Embedder {
  readonly mode = 'hash' as const;
  readonly modelId: string;

  constructor(
    readonly dimension: number,
    private readonly fallbackReason?: string,
  ) {
    this.modelId = hashModelId(dimension);
  }

  async load(): Promise<void> {
    return undefined;
  }

  async embed(texts: string[], options: EmbedOptions): Promise<Float32Array[]> {
    assertEmbeddableTexts(texts);
    const termWeight = options.kind === 'query' ? options.termWeight : undefined;
    return texts.map((text) => this.embedOne(text, termWeight));
  }

  /** `termWeight` (queries only) scales every feature of a word by how informative the word is. */
  embedOne(text: string, termWeight: (stem: string) => number = () => 1): Float32Array {
    const features = featureCounts(analyseEnglish(text), termWeight);
    const vector = new Float32Array(this.dimension);
    for (const [feature, { count, weightSum }] of features) {
      const hash = fnv1a(feature);
      // Sub-linear in the count; the mean weight of its occurrences.
      const value = (weightSum / count) * (1 + Math.log(count));
      // The top bit picks the sign, so collisions cancel out on average instead of piling up.
      vector[hash % this.dimension] += hash & 0x80000000 ? -value : value;
    }
    return normalize(vector);
  }

  status(): EmbedderStatus {
    return {
      model: this.modelId,
      mode: 'hash',
      dimension: this.dimension,
      loaded: true,
      ...(this.fallbackReason ? { reason: this.fallbackReason } : {}),
    };
  }

  async close(): Promise<void> {
    return undefined;
  }
}

/** Each feature with how often it occurs and the sum of its occurrences' weights. */
function featureCounts(words: AnalysedWord[], termWeight: (stem: string) => number): Map<string, { count: number; weightSum: number }> {
  const features = new Map<string, { count: number; weightSum: number }>();
  const add = (feature: string, weight: number) => {
    const entry = features.get(feature);
    if (entry) {
      entry.count += 1;
      entry.weightSum += weight;
    } else {
      features.set(feature, { count: 1, weightSum: weight });
    }
  };
  const weights = words.map(({ stem }) => termWeight(stem));
  words.forEach(({ word, stem }, i) => {
    add(`w:${stem}`, WEIGHTS.stem * weights[i]);
    if (i + 1 < words.length) add(`b:${stem} ${words[i + 1].stem}`, (WEIGHTS.bigram * (weights[i] + weights[i + 1])) / 2);
    const padded = ` ${word} `;
    const grams: string[] = [];
    for (const n of CHAR_GRAM_SIZES) {
      for (let start = 0; start + n <= padded.length; start++) grams.push(padded.slice(start, start + n));
    }
    for (const gram of grams) add(`c:${gram}`, (WEIGHTS.charGrams * weights[i]) / grams.length);
  });
  return features;
}

export function hashModelId(dimension: number): string {
  return `hash-${ALGORITHM_VERSION}-${dimension}`;
}

/** 32-bit FNV-1a over UTF-16 code units: fast, stable across processes and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}
