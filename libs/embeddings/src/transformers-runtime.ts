import { resolve } from 'node:path';
import { env } from '@huggingface/transformers';

/**
 * transformers.js keeps its settings in one module-level object; this is the only place that
 * writes them. Local model folders and the download cache share one layout
 * (`<modelsDir>/<org>/<model>/...`), so a model downloaded once loads offline afterwards.
 */
export function configureTransformers(options: { modelsDir: string; allowRemote: boolean }): void {
  const modelsDir = `${resolve(options.modelsDir)}/`;
  env.allowLocalModels = true;
  env.localModelPath = modelsDir;
  env.cacheDir = modelsDir;
  env.useFSCache = true;
  env.allowRemoteModels = options.allowRemote;
}
