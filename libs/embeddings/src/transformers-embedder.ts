import { pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import type { EmbedKind, EmbedOptions, Embedder, EmbedderStatus } from './embedder';
import type { EmbeddingDtype } from './config';
import { assertEmbeddableTexts } from './validate-texts';

/** Task prefixes that nomic-embed-text was trained with; other models take raw text. */
const NOMIC_PREFIXES: Record<EmbedKind, string> = { document: 'search_document: ', query: 'search_query: ' };

export function taskPrefix(modelId: string, kind: EmbedKind): string {
  return /(^|\/)nomic-embed-text/i.test(modelId) ? NOMIC_PREFIXES[kind] : '';
}

export interface TransformersEmbedderOptions {
  modelId: string;
  dimension: number;
  dtype: EmbeddingDtype;
  batchSize: number;
}

/** Raised when a model cannot be loaded or does not produce the configured dimension. */
export class ModelLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelLoadError';
  }
}

/**
 * A sentence-embedding model run by transformers.js (ONNX Runtime, CPU): feature extraction, mean
 * pooling, L2 normalisation. Loaded once, on first use; texts are embedded in batches of similar
 * length (less padding), and the event loop gets a turn between batches.
 */
export class TransformersEmbedder implements Embedder {
  readonly mode = 'transformers' as const;
  private extractor: FeatureExtractionPipeline | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly options: TransformersEmbedderOptions) {}

  get modelId(): string {
    return this.options.modelId;
  }

  get dimension(): number {
    return this.options.dimension;
  }

  load(): Promise<void> {
    this.loading ??= this.loadOnce().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  async embed(texts: string[], options: EmbedOptions): Promise<Float32Array[]> {
    assertEmbeddableTexts(texts);
    await this.load();
    const prefix = taskPrefix(this.modelId, options.kind);
    const order = texts.map((_, index) => index).sort((a, b) => texts[a].length - texts[b].length);
    const vectors = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += this.options.batchSize) {
      const batch = order.slice(start, start + this.options.batchSize);
      const embedded = await this.run(batch.map((index) => prefix + texts[index]));
      batch.forEach((index, position) => (vectors[index] = embedded[position]));
      if (start + this.options.batchSize < order.length) await new Promise((resolve) => setImmediate(resolve));
    }
    return vectors;
  }

  status(): EmbedderStatus {
    return { model: this.modelId, mode: 'transformers', dimension: this.dimension, loaded: this.extractor !== undefined };
  }

  async close(): Promise<void> {
    const extractor = this.extractor;
    this.extractor = undefined;
    this.loading = undefined;
    await extractor?.dispose();
  }

  private async loadOnce(): Promise<void> {
    let extractor: FeatureExtractionPipeline;
    try {
      extractor = (await pipeline('feature-extraction', this.modelId, {
        dtype: this.options.dtype,
        device: 'cpu',
      })) as FeatureExtractionPipeline;
    } catch (error) {
      throw new ModelLoadError(`Could not load embedding model "${this.modelId}": ${describe(error)}`, { cause: error });
    }
    this.extractor = extractor;
    const [probe] = await this.run(['dimension probe']);
    if (probe.length !== this.dimension) {
      this.extractor = undefined;
      await extractor.dispose();
      throw new ModelLoadError(
        `Embedding model "${this.modelId}" produces ${probe.length}-dimensional vectors, ` +
          `but EMBEDDING_DIMENSION is ${this.dimension}.`,
      );
    }
  }

  private async run(texts: string[]): Promise<Float32Array[]> {
    const extractor = this.extractor;
    if (!extractor) throw new ModelLoadError(`Embedding model "${this.modelId}" is not loaded.`);
    const output = await extractor(texts, { pooling: 'mean', normalize: true });
    try {
      const [rows, width] = output.dims as [number, number];
      const data = output.data as Float32Array;
      return Array.from({ length: rows }, (_, row) => Float32Array.from(data.subarray(row * width, (row + 1) * width)));
    } finally {
      output.dispose();
    }
  }
}

/** First line of the error, plus its cause (e.g. `fetch failed: getaddrinfo ENOTFOUND huggingface.co`). */
function describe(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? `${message}: ${cause.message.split('\n')[0]}` : message;
}
