/**
 * Downloads the TEXT and CODE models into MODELS_DIR, for images with models baked in and for
 * machines that will run offline. `npx nx run embeddings:download-models`
 */
import { pipeline } from '@huggingface/transformers';
import { loadEmbeddingConfig } from '../config';
import { configureTransformers } from '../transformers-runtime';

interface ProgressInfo {
  status: string;
  file?: string;
  progress?: number;
}

async function main(): Promise<void> {
  const config = loadEmbeddingConfig();
  configureTransformers({ modelsDir: config.modelsDir, allowRemote: true });
  process.stdout.write(`Downloading into MODELS_DIR=${config.modelsDir} (dtype ${config.dtype})\n`);
  for (const model of [config.textModel, config.codeModel]) {
    const started = Date.now();
    let lastReport = 0;
    try {
      const extractor = await pipeline('feature-extraction', model, {
        dtype: config.dtype,
        device: 'cpu',
        progress_callback: (info: ProgressInfo) => {
          if (info.status === 'progress' && info.file && Date.now() - lastReport > 1000) {
            lastReport = Date.now();
            process.stdout.write(`  ${model}: ${info.file} ${Math.round(info.progress ?? 0)}%\n`);
          }
        },
      });
      await extractor.dispose();
      process.stdout.write(`✓ ${model} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      process.stderr.write(
        `✗ Could not download ${model} from the Hugging Face hub (${message}${cause}).\n` +
          '  Check network access to huggingface.co, or copy the model folders into ' +
          `${config.modelsDir}/<org>/<model>/ from a machine that has them.\n`,
      );
      process.exit(1);
    }
  }
}

void main();
