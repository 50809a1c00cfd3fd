import type { EmbedKind, EmbedOptions, Embedder, EmbedderStatus } from './embedder';
import type { EmbeddingConfig } from './config';
import { HashEmbedder } from './hash-embedder';
import { configureTransformers } from './transformers-runtime';
import { ModelLoadError, TransformersEmbedder } from './transformers-embedder';

export interface EmbeddingWarningSink {
  warn(details: Record<string, unknown>, message: string): void;
}

/** Observes every embedding call (for latency metrics). */
export type EmbedObserver = (event: { model: string; kind: EmbedKind; texts: number; seconds: number }) => void;

/**
 * In `auto` mode: the configured model while it loads, the hash embedder (with the reason) if it
 * cannot. `modelId` always names the embedder that actually produces the vectors.
 */
class FallbackEmbedder implements Embedder {
  private active: Embedder;
  private fallbackReason: string | undefined;

  constructor(private readonly primary: TransformersEmbedder) {
    this.active = primary;
  }

  get modelId(): string {
    return this.active.modelId;
  }
  get dimension(): number {
    return this.active.dimension;
  }
  get mode(): Embedder['mode'] {
    return this.active.mode;
  }

  /** Tries the real model; returns the reason when it had to fall back. */
  async loadOrFallBack(): Promise<string | undefined> {
    if (this.active !== this.primary) return this.fallbackReason;
    try {
      await this.primary.load();
      return undefined;
    } catch (error) {
      this.fallbackReason = error instanceof Error ? error.message : String(error);
      this.active = new HashEmbedder(this.primary.dimension, this.fallbackReason);
      return this.fallbackReason;
    }
  }

  async load(): Promise<void> {
    await this.loadOrFallBack();
  }

  async embed(texts: string[], options: EmbedOptions): Promise<Float32Array[]> {
    await this.loadOrFallBack();
    return this.active.embed(texts, options);
  }

  status(): EmbedderStatus {
    return this.active.status();
  }

  close(): Promise<void> {
    return this.active.close();
  }
}

class ObservedEmbedder implements Embedder {
  constructor(
    private readonly inner: Embedder,
    private readonly observe: EmbedObserver,
  ) {}
  get modelId(): string {
    return this.inner.modelId;
  }
  get dimension(): number {
    return this.inner.dimension;
  }
  get mode(): Embedder['mode'] {
    return this.inner.mode;
  }
  load(): Promise<void> {
    return this.inner.load();
  }
  async embed(texts: string[], options: EmbedOptions): Promise<Float32Array[]> {
    const started = performance.now();
    const vectors = await this.inner.embed(texts, options);
    this.observe({ model: this.inner.modelId, kind: options.kind, texts: texts.length, seconds: (performance.now() - started) / 1000 });
    return vectors;
  }
  status(): EmbedderStatus {
    return this.inner.status();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The two models the system uses: TEXT for memories and docs, CODE for source. */
export interface EmbeddingService {
  text: Embedder;
  code: Embedder;
  /**
   * Loads both models. `transformers` mode: a failure is an error naming the model and MODELS_DIR.
   * `auto` mode: a failure switches that model to the hash embedder and logs one warning.
   */
  load(): Promise<void>;
  status(): { text: EmbedderStatus; code: EmbedderStatus };
  close(): Promise<void>;
}

export function createEmbeddingService(
  config: EmbeddingConfig,
  options: { logger?: EmbeddingWarningSink; observe?: EmbedObserver } = {},
): EmbeddingService {
  const make = (modelId: string): { embedder: Embedder; fallback?: FallbackEmbedder; strict?: TransformersEmbedder } => {
    if (config.mode === 'hash') return { embedder: new HashEmbedder(config.dimension) };
    const transformers = new TransformersEmbedder({
      modelId,
      dimension: config.dimension,
      dtype: config.dtype,
      batchSize: config.batchSize,
    });
    if (config.mode === 'transformers') return { embedder: transformers, strict: transformers };
    const fallback = new FallbackEmbedder(transformers);
    return { embedder: fallback, fallback };
  };
  if (config.mode !== 'hash') configureTransformers({ modelsDir: config.modelsDir, allowRemote: config.allowRemote });
  const text = make(config.textModel);
  const code = make(config.codeModel);
  const wrap = (embedder: Embedder): Embedder => (options.observe ? new ObservedEmbedder(embedder, options.observe) : embedder);

  return {
    text: wrap(text.embedder),
    code: wrap(code.embedder),
    async load() {
      if (config.mode === 'transformers') {
        for (const { strict } of [text, code]) {
          try {
            await strict?.load();
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new ModelLoadError(
              `${reason} (EMBEDDING_MODE=transformers; looked in MODELS_DIR=${config.modelsDir}` +
                `${config.allowRemote ? ' and on the Hugging Face hub' : ', remote download disabled'}). ` +
                'Run `npx nx run embeddings:download-models` where the hub is reachable, or use EMBEDDING_MODE=auto.',
              { cause: error },
            );
          }
        }
        return;
      }
      const failures: Record<string, string> = {};
      for (const [role, { fallback }] of Object.entries({ text, code })) {
        const reason = await fallback?.loadOrFallBack();
        if (reason) failures[role] = reason;
      }
      if (Object.keys(failures).length > 0) {
        options.logger?.warn(
          { failures, models_dir: config.modelsDir, fallback: `hash embedder (${config.dimension}-d)` },
          'embedding models unavailable; using the hash embedder (lexical similarity only)',
        );
      }
    },
    status: () => ({ text: text.embedder.status(), code: code.embedder.status() }),
    async close() {
      await Promise.all([text.embedder.close(), code.embedder.close()]);
    },
  };
}
