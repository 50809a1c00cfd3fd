/**
 * Indexes a local directory into the configured database, for repositories too large for one API
 * call: `npx nx run api:index -- --repository NAME --path DIR [--namespace NS] [--no-embeddings] [--no-graph] [--commit SHA]`.
 * Same configuration as the API (DATABASE_URL, or the embedded engine in MNEMO_DATA_DIR, which only
 * one process may open at a time). The operator names the directory, so CODE_INDEX_ROOTS does not
 * apply here: the directory itself is the root (symlinks still never lead outside it).
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { CodeIndexingService, TreeSitterRuntime } from '@mnemolite/code-intel';
import { DEFAULT_NAMESPACE, isNamespace, loadConfigOrExit } from '@mnemolite/common';
import { createDb, runMigrations, type DbHandle } from '@mnemolite/db';
import { createEmbeddingService, type EmbeddingService } from '@mnemolite/embeddings';
import { apiConfigSchema } from '../config';

const USAGE =
  'Usage: npx nx run api:index -- --repository NAME --path DIR [--namespace NS (default "default")] [--no-embeddings] [--no-graph] [--commit SHA]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      repository: { type: 'string' },
      path: { type: 'string' },
      commit: { type: 'string' },
      namespace: { type: 'string', default: DEFAULT_NAMESPACE },
      'no-embeddings': { type: 'boolean', default: false },
      'no-graph': { type: 'boolean', default: false },
    },
  });
  if (!values.repository || !values.path) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!isNamespace(values.namespace)) {
    process.stderr.write(`--namespace must be 1-64 characters of letters, digits, ".", "_" or "-"; got "${values.namespace}".\n`);
    return 2;
  }
  const namespace = values.namespace;
  let directory: string;
  try {
    directory = realpathSync(resolve(values.path));
    if (!statSync(directory).isDirectory()) throw new Error('not a directory');
  } catch {
    process.stderr.write(`Not a directory: ${values.path}\n`);
    return 2;
  }

  const config = loadConfigOrExit(apiConfigSchema);

  let database: DbHandle;
  try {
    database = await createDb({ ...config.database, applicationName: 'mnemolite-index-cli' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/in use by process/.test(message)) {
      process.stderr.write(
        `${message}\nThe embedded database belongs to the running API process. Stop the API, or run both against ` +
          'PostgreSQL (DATABASE_URL), then retry.\n',
      );
      return 3;
    }
    throw error;
  }

  const runtime = new TreeSitterRuntime();
  // The API's embedders, from the same configuration: vectors the API can compare with its queries.
  const embeddings: EmbeddingService | undefined = values['no-embeddings']
    ? undefined
    : createEmbeddingService(config.embeddings, { logger: { warn: (_details, message) => process.stderr.write(`warning: ${message}\n`) } });
  const bar = new SingleBar(
    { format: '{phase} |{bar}| {percentage}% | {value}/{total} files | {chunks} chunks | {duration_formatted}', hideCursor: true },
    Presets.shades_classic,
  );
  try {
    await Promise.all([runMigrations(database, config.migrationsDir), embeddings?.load()]);
    const indexer = new CodeIndexingService({
      db: database.db,
      runtime,
      textEmbedder: embeddings?.text,
      codeEmbedder: embeddings?.code,
      indexRoots: [directory],
    });
    const models = embeddings ? `embeddings ${embeddings.text.modelId} / ${embeddings.code.modelId}` : 'no embeddings';
    process.stdout.write(`Indexing ${directory} as "${values.repository}" in namespace "${namespace}" (${database.engine}, ${models})\n`);
    bar.start(1, 0, { chunks: 0, phase: 'Parsing' });
    const report = await indexer.indexDirectory(
      namespace,
      { repository: values.repository, commit: values.commit ?? null, embeddings: Boolean(embeddings), graph: !values['no-graph'] },
      directory,
      (progress) => {
        bar.setTotal(progress.total);
        bar.update(progress.done, { chunks: progress.chunks, phase: progress.phase === 'prepare' ? 'Parsing' : 'Writing' });
      },
    );
    bar.stop();
    const seconds = report.took_ms / 1000;
    const files = report.files_indexed + report.files_unchanged;
    process.stdout.write(
      [
        `Done in ${seconds.toFixed(1)} s (${(files / Math.max(seconds, 0.001)).toFixed(0)} files/s).`,
        `  files indexed:   ${report.files_indexed}`,
        `  files unchanged: ${report.files_unchanged}`,
        `  files skipped:   ${report.files_failed}`,
        `  chunks written:  ${report.chunks}`,
        `  graph nodes:     ${report.nodes}`,
        `  graph edges:     ${report.edges}`,
        ...report.errors.slice(0, 20).map((entry) => `  ! ${entry.path}: ${entry.error}`),
        ...(report.errors.length > 20 ? [`  ... and ${report.errors.length - 20} more messages`] : []),
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    bar.stop();
    await runtime.close();
    await embeddings?.close();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
