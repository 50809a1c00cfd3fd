import { join } from 'node:path';
import { writeTinyModel } from './tiny-model-generator';

/**
 * Writes the tiny BERT-shaped test model (tiny-model-generator.ts) into `<modelsDir>/<modelId>/`,
 * laid out exactly like a real model folder.
 */
export function makeTinyModel(modelsDir: string, modelId: string, options: { dim?: number; maxLength?: number } = {}): string {
  const outDir = join(modelsDir, modelId);
  writeTinyModel(outDir, { dim: options.dim ?? 32, maxLength: options.maxLength });
  return outDir;
}
