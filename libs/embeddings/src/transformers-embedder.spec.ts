import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { makeTinyModel } from './testing';
import { configureTransformers } from './transformers-runtime';
import { ModelLoadError, TransformersEmbedder, taskPrefix } from './transformers-embedder';

const DIM = 32;

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i])), 0);
}

describe('TransformersEmbedder on a tiny local model (offline, real transformers.js path)', () => {
  let modelsDir: string;
  const embedders: TransformersEmbedder[] = [];
  const make = (modelId: string, options: Partial<{ dimension: number; dtype: 'q8' | 'fp32'; batchSize: number }> = {}) => {
    const embedder = new TransformersEmbedder({ modelId, dimension: DIM, dtype: 'q8', batchSize: 4, ...options });
    embedders.push(embedder);
    return embedder;
  };

  beforeAll(() => {
    modelsDir = mkdtempSync(join(tmpdir(), 'mnemolite-models-'));
    makeTinyModel(modelsDir, 'test/tiny-bert', { dim: DIM });
    makeTinyModel(modelsDir, 'nomic-ai/nomic-embed-text-v1.5', { dim: DIM });
    configureTransformers({ modelsDir, allowRemote: false });
  });
  afterAll(async () => {
    await Promise.all(embedders.map((embedder) => embedder.close()));
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('returns one L2-normalised vector of the model dimension per text', async () => {
    const embedder = make('test/tiny-bert');
    const vectors = await embedder.embed(['hello world', 'the quick brown fox jumps over the lazy dog'], { kind: 'document' });
    expect(vectors).toHaveLength(2);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(DIM);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    expect(maxAbsDiff(vectors[0], vectors[1])).toBeGreaterThan(0.01);
    expect(embedder.status()).toEqual({ model: 'test/tiny-bert', mode: 'transformers', dimension: DIM, loaded: true });
  });

  it('gives the same vectors single and batched (within 1e-5), in input order', async () => {
    const embedder = make('test/tiny-bert', { batchSize: 3 });
    const texts = [
      'a much longer sentence about databases, vectors and the people who search them',
      'short one',
      'medium length text about cats',
      'another text',
      'yet another sentence of moderate size here',
    ];
    const batched = await embedder.embed(texts, { kind: 'document' });
    for (let i = 0; i < texts.length; i++) {
      const [single] = await embedder.embed([texts[i]], { kind: 'document' });
      expect(maxAbsDiff(single, batched[i])).toBeLessThan(1e-5);
    }
  });

  it('applies the nomic task prefixes for the nomic model id, and no prefix for others', async () => {
    expect(taskPrefix('nomic-ai/nomic-embed-text-v1.5', 'document')).toBe('search_document: ');
    expect(taskPrefix('nomic-ai/nomic-embed-text-v1.5', 'query')).toBe('search_query: ');
    expect(taskPrefix('jinaai/jina-embeddings-v2-base-code', 'query')).toBe('');

    const nomic = make('nomic-ai/nomic-embed-text-v1.5');
    const raw = (await pipeline('feature-extraction', 'nomic-ai/nomic-embed-text-v1.5', {
      dtype: 'q8',
      device: 'cpu',
    })) as FeatureExtractionPipeline;
    try {
      const expected = await raw(['search_document: hello world', 'search_query: hello world'], { pooling: 'mean', normalize: true });
      const data = expected.data as Float32Array;
      const [doc] = await nomic.embed(['hello world'], { kind: 'document' });
      const [query] = await nomic.embed(['hello world'], { kind: 'query' });
      expect(maxAbsDiff(doc, data.subarray(0, DIM))).toBeLessThan(1e-5);
      expect(maxAbsDiff(query, data.subarray(DIM, 2 * DIM))).toBeLessThan(1e-5);
      expect(maxAbsDiff(doc, query)).toBeGreaterThan(1e-3);
    } finally {
      await raw.dispose();
    }

    const plain = make('test/tiny-bert');
    const [plainDoc] = await plain.embed(['hello world'], { kind: 'document' });
    const [plainQuery] = await plain.embed(['hello world'], { kind: 'query' });
    expect(maxAbsDiff(plainDoc, plainQuery)).toBe(0);
  });

  it('loads fp32 weights as well as q8', async () => {
    const [vector] = await make('test/tiny-bert', { dtype: 'fp32' }).embed(['hello world'], { kind: 'query' });
    expect(norm(vector)).toBeCloseTo(1, 5);
  });

  it('shares one load between concurrent first callers', async () => {
    const embedder = make('test/tiny-bert');
    const first = embedder.load();
    expect(embedder.load()).toBe(first);
    await Promise.all([first, embedder.embed(['one'], { kind: 'document' }), embedder.embed(['two'], { kind: 'document' })]);
    expect(embedder.status().loaded).toBe(true);
  });

  it('truncates texts longer than the model maximum instead of failing', async () => {
    const [vector] = await make('test/tiny-bert').embed([Array.from({ length: 3000 }, () => 'word').join(' ')], { kind: 'document' });
    expect(norm(vector)).toBeCloseTo(1, 5);
  });

  it('fails to load when the dimension differs, naming both numbers', async () => {
    const embedder = make('test/tiny-bert', { dimension: 768 });
    await expect(embedder.load()).rejects.toThrow(ModelLoadError);
    await expect(embedder.load()).rejects.toThrow(/produces 32-dimensional vectors, but EMBEDDING_DIMENSION is 768/);
  });

  it('fails to load a model that is not in the models folder, naming it', async () => {
    await expect(make('nobody/missing-model').load()).rejects.toThrow(/Could not load embedding model "nobody\/missing-model"/);
  });

  it('rejects empty and whitespace-only texts', async () => {
    const embedder = make('test/tiny-bert');
    await expect(embedder.embed(['fine', '   ', ''], { kind: 'document' })).rejects.toThrow(/positions 1, 2/);
  });
});
