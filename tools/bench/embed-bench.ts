/**
 * Embedding throughput: texts/s and ms/text per embedder at batch sizes 1, 8 and 32, with peak RSS.
 * `npm run bench:embed [-- --texts 256]`
 *
 * Embedders measured: the hash embedder; the real TEXT and CODE models when they are in MODELS_DIR;
 * and the tiny generated test model (same transformers.js path, tiny weights) so the pipeline's own
 * overhead is visible on machines that cannot download the real models.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HashEmbedder, TransformersEmbedder, configureTransformers, loadEmbeddingConfig, type Embedder } from '@mnemolite/embeddings';
import { makeTinyModel } from '@mnemolite/embeddings/testing';

const BATCH_SIZES = [1, 8, 32];
const WORDS =
  'memory agent vector search postgres index query event graph node edge model token cache partition month text code function class method import call latency throughput'.split(
    ' ',
  );

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function makeTexts(count: number): string[] {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () =>
    Array.from({ length: 8 + Math.floor(random() * 56) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' '),
  );
}

interface Row {
  embedder: string;
  batch: number;
  texts: number;
  textsPerSecond: number;
  msPerText: number;
  peakRssMb: number;
}

async function measure(label: string, embedder: Embedder, texts: string[]): Promise<Row[]> {
  await embedder.embed(texts.slice(0, 2), { kind: 'document' }); // load and warm up
  const rows: Row[] = [];
  for (const batch of BATCH_SIZES) {
    const started = performance.now();
    for (let i = 0; i < texts.length; i += batch) await embedder.embed(texts.slice(i, i + batch), { kind: 'document' });
    const seconds = (performance.now() - started) / 1000;
    rows.push({
      embedder: label,
      batch,
      texts: texts.length,
      textsPerSecond: Math.round(texts.length / seconds),
      msPerText: Number(((seconds * 1000) / texts.length).toFixed(3)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    });
    process.stderr.write(`  ${label} batch ${batch}: done\n`);
  }
  return rows;
}

async function main(): Promise<void> {
  const count = argument('texts', 256);
  const texts = makeTexts(count);
  const config = loadEmbeddingConfig();
  const rows: Row[] = [];

  rows.push(...(await measure('hash-v2-768', new HashEmbedder(768), texts)));

  const tinyDir = mkdtempSync(join(tmpdir(), 'mnemolite-bench-models-'));
  try {
    makeTinyModel(tinyDir, 'test/tiny-bert', { dim: 32 });
    configureTransformers({ modelsDir: tinyDir, allowRemote: false });
    const tiny = new TransformersEmbedder({ modelId: 'test/tiny-bert', dimension: 32, dtype: 'q8', batchSize: 32 });
    rows.push(...(await measure('tiny test model (transformers.js)', tiny, texts)));
    await tiny.close();
  } finally {
    rmSync(tinyDir, { recursive: true, force: true });
  }

  configureTransformers({ modelsDir: config.modelsDir, allowRemote: false });
  for (const model of [config.textModel, config.codeModel]) {
    if (!existsSync(join(resolve(config.modelsDir), model, 'config.json'))) {
      process.stderr.write(`  ${model}: not in MODELS_DIR=${config.modelsDir}; skipped (npx nx run embeddings:download-models)\n`);
      continue;
    }
    const real = new TransformersEmbedder({ modelId: model, dimension: config.dimension, dtype: config.dtype, batchSize: 32 });
    rows.push(...(await measure(`${model} (${config.dtype})`, real, texts.slice(0, Math.min(count, 64)))));
    await real.close();
  }

  console.table(rows);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/embed-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), cpus: 2, rows }, null, 2));
  process.stderr.write(`results written to ${file}\n`);
}

void main();
