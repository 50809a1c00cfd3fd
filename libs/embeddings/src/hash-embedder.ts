import type { EmbedKind, Embedder, EmbedderStatus } from './embedder';
import { assertEmbeddableTexts } from './validate-texts';

/** Bump when the features or weights change: stored vectors of another version are not comparable. */
const ALGORITHM_VERSION = 'v1';

/** Relative weights of the feature families: whole words carry meaning, n-grams catch variants. */
const WEIGHTS = { word: 1, bigram: 0.5, charGram: 0.25 } as const;

/**
 * Deterministic feature hashing: word unigrams, word bigrams and character 3-5-grams of the
 * identifier-split, lower-cased text, signed-hashed into `dimension` buckets and L2-normalised.
 * Lexical similarity only, but no download, no model files, identical in every process.
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

  async embed(texts: string[], _options: { kind: EmbedKind }): Promise<Float32Array[]> {
    assertEmbeddableTexts(texts);
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dimension);
    const words = tokenize(text);
    for (let i = 0; i < words.length; i++) {
      this.add(vector, `w:${words[i]}`, WEIGHTS.word);
      if (i + 1 < words.length) this.add(vector, `b:${words[i]} ${words[i + 1]}`, WEIGHTS.bigram);
      const padded = ` ${words[i]} `;
      for (let n = 3; n <= 5; n++) {
        for (let start = 0; start + n <= padded.length; start++) {
          this.add(vector, `c:${padded.slice(start, start + n)}`, WEIGHTS.charGram);
        }
      }
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

  private add(vector: Float32Array, feature: string, weight: number): void {
    const hash = fnv1a(feature);
    // The top bit picks the sign, so collisions cancel out on average instead of piling up.
    vector[hash % this.dimension] += hash & 0x80000000 ? -weight : weight;
  }
}

export function hashModelId(dimension: number): string {
  return `hash-${ALGORITHM_VERSION}-${dimension}`;
}

/** Lower-cased words, with identifiers split: `getUserById` -> get user by id, `snake_case` -> snake case. */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
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
