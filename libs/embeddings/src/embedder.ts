/** Stored texts are embedded as documents, search input as queries (some models prefix them). */
export type EmbedKind = 'document' | 'query';

export interface EmbedOptions {
  kind: EmbedKind;
  /**
   * For queries: how informative each word stem is in the store searched (its inverse document
   * frequency there). The hash embedder weighs query features by it, as tf-idf does; learned models
   * ignore it (they learned their own weighting).
   */
  termWeight?: (stem: string) => number;
}

export type EmbeddingMode = 'transformers' | 'hash';

/** What `/health` shows for one model. */
export interface EmbedderStatus {
  model: string;
  mode: EmbeddingMode;
  dimension: number;
  loaded: boolean;
  /** Why the hash embedder serves in place of the configured model (auto mode fallback). */
  reason?: string;
}

/**
 * Turns texts into L2-normalised vectors. Every stored vector records `modelId`: vectors of
 * different models are never compared (see `sameModel`).
 */
export interface Embedder {
  readonly modelId: string;
  readonly dimension: number;
  readonly mode: EmbeddingMode;
  /** Loads the model once per process; concurrent callers share the one load. */
  load(): Promise<void>;
  /** One vector per text, in input order. Empty or whitespace-only texts are rejected. */
  embed(texts: string[], options: EmbedOptions): Promise<Float32Array[]>;
  status(): EmbedderStatus;
  close(): Promise<void>;
}
