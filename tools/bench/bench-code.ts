/**
 * Code-indexing benchmark: `npm run bench:code -- --path DIR [--queries N]`.
 * Indexes DIR twice into a throwaway database (in-memory PGlite, or a fresh database on the server
 * in TEST_DATABASE_URL): once without embeddings, once with the hash embedder; then re-indexes the
 * unchanged tree and times searches in each mode. Prints files/s, chunks/s, MB/s, peak RSS and
 * search latency percentiles.
 */
import { realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { sql } from 'drizzle-orm';
import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { queryRows } from '@mnemolite/db';
import { createTestDb, testEngineName } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { CodeIndexingService, CodeSearchService, TreeSitterRuntime, type CodeSearchMode, type IndexReport } from '@mnemolite/code-intel';

interface RunFigures {
  label: string;
  report: IndexReport;
  seconds: number;
  bytes: number;
  rssMb: number;
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { path: { type: 'string' }, queries: { type: 'string' } } });
  if (!values.path) throw new Error('Usage: npm run bench:code -- --path DIR [--queries N]');
  const dir = realpathSync(values.path);
  const queryCount = Number(values.queries ?? 100);
  const database = await createTestDb();
  const runtime = new TreeSitterRuntime();
  const embedder = new HashEmbedder(768);
  console.log(`bench:code on ${dir} (${testEngineName()}, node ${process.version})`);
  try {
    const runs: RunFigures[] = [];
    const index = async (label: string, repository: string, withEmbeddings: boolean): Promise<void> => {
      const indexer = new CodeIndexingService({
        db: database.db,
        runtime,
        textEmbedder: withEmbeddings ? embedder : undefined,
        codeEmbedder: withEmbeddings ? embedder : undefined,
        indexRoots: [dir],
      });
      const bar = new SingleBar(
        { format: `${label.padEnd(24)} |{bar}| {value}/{total} files | {chunks} chunks`, hideCursor: true },
        Presets.shades_classic,
      );
      bar.start(1, 0, { chunks: 0 });
      const started = performance.now();
      const report = await indexer.indexDirectory(DEFAULT_NAMESPACE, { repository }, dir, (p) => {
        bar.setTotal(p.total);
        bar.update(p.done, { chunks: p.chunks });
      });
      const seconds = (performance.now() - started) / 1000;
      bar.stop();
      const [size] = await queryRows<{ bytes: string | null }>(
        database.db,
        sql`select sum(size_bytes) as bytes from code_files where repository = ${repository}`,
      );
      runs.push({ label, report, seconds, bytes: Number(size.bytes ?? 0), rssMb: peakRssMb() });
    };
    await index('embeddings off', 'bench-plain', false);
    await index('hash embedder', 'bench-hash', true);
    await index('re-index, unchanged', 'bench-hash', true);

    console.log('\nrun                      files  failed  chunks   seconds  files/s  chunks/s    MB/s  peak RSS MB');
    for (const run of runs) {
      const files = run.report.files_indexed + run.report.files_unchanged;
      console.log(
        `${run.label.padEnd(24)} ${String(files).padStart(6)} ${String(run.report.files_failed).padStart(7)} ${String(run.report.chunks).padStart(7)} ` +
          `${run.seconds.toFixed(2).padStart(9)} ${(files / run.seconds).toFixed(0).padStart(8)} ${(run.report.chunks / run.seconds).toFixed(0).padStart(9)} ` +
          `${(run.bytes / 1024 / 1024 / run.seconds).toFixed(2).padStart(7)} ${run.rssMb.toFixed(0).padStart(12)}`,
      );
    }

    const names = await queryRows<{ name: string }>(
      database.db,
      sql`select name from code_chunks where repository = 'bench-hash' and chunk_type in ('function', 'method', 'class') order by md5(id::text) limit ${Math.ceil(queryCount / 2)}`,
    );
    const phrases = [
      'parse options',
      'read file',
      'create error message',
      'validate input',
      'format output',
      'resolve path',
      'cache result',
      'handle event',
    ];
    const queries = [
      ...names.map((row) => row.name),
      ...Array.from({ length: Math.floor(queryCount / 2) }, (_, i) => phrases[i % phrases.length]),
    ];
    const search = new CodeSearchService({ db: database.db, codeEmbedder: embedder });
    console.log(`\nsearch over ${runs[1].report.chunks} chunks, ${queries.length} queries (half exact names, half phrases), limit 10`);
    console.log('mode       p50 ms   p95 ms  exact name first');
    for (const mode of ['lexical', 'vector', 'hybrid'] as CodeSearchMode[]) {
      const times: number[] = [];
      let exactFirst = 0;
      for (const query of queries) {
        const started = performance.now();
        const { results } = await search.search(DEFAULT_NAMESPACE, { query, mode, repository: 'bench-hash', limit: 10 });
        times.push(performance.now() - started);
        if (names.some((row) => row.name === query) && results[0]?.chunk.name === query) exactFirst += 1;
      }
      times.sort((a, b) => a - b);
      console.log(
        `${mode.padEnd(9)} ${percentile(times, 50).toFixed(1).padStart(7)} ${percentile(times, 95).toFixed(1).padStart(8)}  ${exactFirst}/${names.length}`,
      );
    }
    console.log(`\npeak RSS: ${peakRssMb().toFixed(0)} MB`);
  } finally {
    await runtime.close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
