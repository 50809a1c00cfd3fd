import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddingConfig } from './config';
import { createEmbeddingService, type EmbeddingService } from './embedding-service';
import { makeTinyModel } from './testing';

describe('createEmbeddingService', () => {
  let modelsDir: string;
  const services: EmbeddingService[] = [];
  const config = (overrides: Partial<EmbeddingConfig>): EmbeddingConfig => ({
    mode: 'auto',
    textModel: 'test/tiny-text',
    codeModel: 'test/tiny-code',
    dimension: 16,
    dtype: 'q8',
    modelsDir,
    allowRemote: false,
    batchSize: 8,
    ...overrides,
  });
  const create = (overrides: Partial<EmbeddingConfig>, warnings: unknown[] = []) => {
    const service = createEmbeddingService(config(overrides), {
      logger: { warn: (details, message) => warnings.push({ details, message }) },
    });
    services.push(service);
    return service;
  };

  beforeAll(() => {
    modelsDir = mkdtempSync(join(tmpdir(), 'mnemolite-models-'));
    makeTinyModel(modelsDir, 'test/tiny-text', { dim: 16 });
    makeTinyModel(modelsDir, 'test/tiny-code', { dim: 16 });
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('auto mode loads the real models when they are there', async () => {
    const warnings: unknown[] = [];
    const service = create({}, warnings);
    await service.load();
    expect(service.status()).toEqual({
      text: { model: 'test/tiny-text', mode: 'transformers', dimension: 16, loaded: true },
      code: { model: 'test/tiny-code', mode: 'transformers', dimension: 16, loaded: true },
    });
    expect(warnings).toEqual([]);
    const [vector] = await service.code.embed(['function add(a, b) { return a + b; }'], { kind: 'document' });
    expect(vector).toHaveLength(16);
  });

  it('auto mode falls back to the hash embedder with the reason, logging one warning', async () => {
    const warnings: { details: { failures: Record<string, string> }; message: string }[] = [];
    const service = create({ textModel: 'absent/text-model', codeModel: 'absent/code-model', dimension: 768 }, warnings);
    await service.load();
    const status = service.status();
    expect(status.text).toMatchObject({ model: 'hash-v2-768', mode: 'hash', dimension: 768, loaded: true });
    expect(status.text.reason).toMatch(/absent\/text-model/);
    expect(status.code.reason).toMatch(/absent\/code-model/);
    expect(warnings).toHaveLength(1);
    expect(Object.keys(warnings[0].details.failures)).toEqual(['text', 'code']);
    expect(service.text.modelId).toBe('hash-v2-768');
    const [vector] = await service.text.embed(['still works offline'], { kind: 'document' });
    expect(vector).toHaveLength(768);
  });

  it('transformers mode refuses a missing model, naming it and MODELS_DIR', async () => {
    const service = create({ mode: 'transformers', textModel: 'absent/text-model' });
    await expect(service.load()).rejects.toThrow(/absent\/text-model/);
    await expect(service.load()).rejects.toThrow(new RegExp(`MODELS_DIR=${modelsDir.replace(/[/.]/g, '\\$&')}`));
  });

  it('hash mode needs no model at all', async () => {
    const service = create({ mode: 'hash', modelsDir: '/nonexistent', dimension: 768 });
    await service.load();
    expect(service.status().code).toEqual({ model: 'hash-v2-768', mode: 'hash', dimension: 768, loaded: true });
  });

  it('reports embedding calls to an observer', async () => {
    const events: { model: string; texts: number }[] = [];
    const service = createEmbeddingService(config({ mode: 'hash', dimension: 64 }), { observe: (event) => events.push(event) });
    services.push(service);
    await service.text.embed(['a', 'b'], { kind: 'query' });
    expect(events).toEqual([expect.objectContaining({ model: 'hash-v2-64', kind: 'query', texts: 2, seconds: expect.any(Number) })]);
  });
});
