import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const GENERATOR = join(__dirname, '..', '..', '..', '..', 'tools', 'embeddings', 'make-tiny-model.mjs');

/**
 * Writes the tiny BERT-shaped test model (tools/embeddings/make-tiny-model.mjs) into
 * `<modelsDir>/<modelId>/`, laid out exactly like a real model folder.
 */
export function makeTinyModel(modelsDir: string, modelId: string, options: { dim?: number; maxLength?: number } = {}): string {
  const outDir = join(modelsDir, modelId);
  const args = [GENERATOR, outDir, '--dim', String(options.dim ?? 32)];
  if (options.maxLength) args.push('--max-length', String(options.maxLength));
  execFileSync(process.execPath, args, { stdio: 'pipe' });
  return outDir;
}
