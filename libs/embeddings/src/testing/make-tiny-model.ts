/**
 * Writes the tiny test model (tiny-model-generator.ts) from the command line, for the image smoke test:
 * `npx tsx libs/embeddings/src/testing/make-tiny-model.ts <outDir> [--dim 32] [--model-type bert|distilbert]
 * [--max-length 512] [--seed 42]`
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeTinyModel, type TinyModelType } from './tiny-model-generator';

const USAGE =
  'Usage: npx tsx libs/embeddings/src/testing/make-tiny-model.ts <outDir> [--dim 32] [--model-type bert|distilbert] [--max-length 512] [--seed 42]';

function main(): number {
  let outDir: string;
  let report;
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        dim: { type: 'string' },
        'model-type': { type: 'string' },
        'max-length': { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new Error(positionals.length === 0 ? 'Missing <outDir>' : `Unexpected argument ${positionals[1]}`);
    outDir = resolve(positionals[0]);
    report = writeTinyModel(outDir, {
      dim: values.dim === undefined ? undefined : Number(values.dim),
      modelType: values['model-type'] as TinyModelType | undefined,
      maxLength: values['max-length'] === undefined ? undefined : Number(values['max-length']),
      seed: values.seed === undefined ? undefined : Number(values.seed),
    });
  } catch (error) {
    process.stderr.write(`make-tiny-model: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  process.stdout.write(
    `make-tiny-model: wrote ${report.modelType} model to ${outDir} (dim=${report.dim}, vocab=${report.vocabSize}, ` +
      `max_length=${report.maxLength}, seed=${report.seed}, onnx=${report.onnxBytes} bytes)\n`,
  );
  return 0;
}

process.exitCode = main();
