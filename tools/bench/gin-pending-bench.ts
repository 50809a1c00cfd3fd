/**
 * What the GIN pending list costs and saves, by index option, on the engine at hand: the measurement
 * behind `fastupdate = off` on the word and metadata indexes of the partitions of `events`
 * (partition maintenance sets it; SEARCH.md, "GIN pending lists").
 *
 * For each option a fresh store: `--rows` synthetic events (bench:memory's generator, all in the
 * current month) loaded through the batch path, VACUUM, then the option set on the partitions' GIN
 * indexes, replacing the `fastupdate = off` partition maintenance gave them (`fastupdate = on` is
 * PostgreSQL's default: up to 4 MB of pending entries per index; `gin_pending_list_limit=<kB>` turns the
 * list on with that bound), then
 * `--inserts` single `POST /v1/events`-path writes, each timed, then `--queries` lexical searches, each
 * timed, reading whatever the inserts left pending. Prints ms per write and per search (mean, p50, p99)
 * and the pending pages the inserts left (flushed afterwards by `gin_clean_pending_list`).
 *
 * `npm run bench:gin-pending [-- --rows 2000] [--inserts 1500] [--queries 100]
 *   [--options fastupdate=on,fastupdate=off,gin_pending_list_limit=64]`
 *
 * Database: a fresh database on the server of `DATABASE_URL` (dropped at the end), else embedded PGlite
 * in a temporary directory. The table on stdout, the JSON in bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { listPartitionGinIndexes, queryRows, runMigrations, runPartitionMaintenance } from '@mnemolite/db';
import { HashEmbedder } from '@mnemolite/embeddings';
import { EventsService, SearchService, searchRequestSchema } from '@mnemolite/memory';
import { argument, openBenchDatabase, progress } from './bench-database';
import { generator, percentile } from './synthetic-events';

const LOAD_BATCH = 500;
const OPTION = /^(fastupdate=(on|off)|gin_pending_list_limit=\d+)$/;

function options(): string[] {
  const index = process.argv.indexOf('--options');
  const text = index >= 0 ? process.argv[index + 1] : 'fastupdate=on,fastupdate=off';
  const list = text.split(',');
  for (const option of list) {
    if (!OPTION.test(option)) throw new Error(`--options: "${option}" is not fastupdate=on|off or gin_pending_list_limit=<kB>`);
  }
  return list;
}

function summary(ms: number[]): { mean: number; p50: number; p99: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    mean: round(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
  };
}

async function measure(option: string, rows: number, inserts: number, queries: number) {
  const database = await openBenchDatabase(false);
  try {
    const { db } = database.handle;
    await runMigrations(database.handle);
    await runPartitionMaintenance(db, { premakeMonths: 1, retentionMonths: null });
    const embedder = new HashEmbedder(768);
    const events = new EventsService({ db, textEmbedder: embedder });
    const search = new SearchService({ db, textEmbedder: embedder });
    const gen = generator(new Date());
    const started = Date.now();
    // Every event in the current month, a millisecond apart, so that all land in one partition.
    const event = (i: number) => ({ ...gen.event(i), timestamp: new Date(started + i).toISOString() });
    const bar = progress(`${option}: load`, rows);
    for (let from = 0; from < rows; from += LOAD_BATCH) {
      const size = Math.min(LOAD_BATCH, rows - from);
      await events.createMany(
        DEFAULT_NAMESPACE,
        Array.from({ length: size }, (_, j) => event(from + j)),
      );
      bar.increment(size);
    }
    bar.stop();
    await db.execute(sql`VACUUM (ANALYZE) events`);
    const indexes = (await listPartitionGinIndexes(db)).map((row) => row.index);
    // A bound on the list means nothing while maintenance's `fastupdate = off` holds: turn the list on.
    const settings = option.startsWith('gin_pending_list_limit') ? `fastupdate = on, ${option}` : option;
    for (const index of indexes) await db.execute(sql.raw(`ALTER INDEX ${index} SET (${settings})`));

    const writeMs: number[] = [];
    const writes = progress(`${option}: single writes`, inserts);
    for (let i = rows; i < rows + inserts; i++) {
      const t = performance.now();
      await events.create(DEFAULT_NAMESPACE, event(i));
      writeMs.push(performance.now() - t);
      writes.increment();
    }
    writes.stop();
    const searchMs: number[] = [];
    for (let i = 0; i < queries; i++) {
      const request = searchRequestSchema.parse({ query: gen.lexicalQuery(), mode: 'lexical', limit: 10 });
      const t = performance.now();
      await search.search(DEFAULT_NAMESPACE, request);
      searchMs.push(performance.now() - t);
    }
    let pendingPages = 0;
    for (const index of indexes) {
      const [row] = await queryRows<{ pages: number }>(db, sql`select gin_clean_pending_list(${index}::regclass)::int as pages`);
      pendingPages += row?.pages ?? 0;
    }
    return { option, write_ms: summary(writeMs), lexical_ms: summary(searchMs), pending_pages_left: pendingPages };
  } finally {
    await database.drop();
  }
}

async function main(): Promise<void> {
  const rows = argument('rows', 2000);
  const inserts = argument('inserts', 1500);
  const queries = argument('queries', 100);
  if (!(rows >= 100 && inserts >= 1 && queries >= 1)) throw new Error('--rows must be at least 100, --inserts and --queries at least 1');
  const results = [];
  let engine = '';
  for (const option of options()) {
    const result = await measure(option, rows, inserts, queries);
    results.push(result);
    engine = process.env['DATABASE_URL'] ? 'postgres' : 'pglite';
  }
  process.stdout.write(
    [
      `| GIN option (${rows} events, then ${inserts} single writes, ${queries} lexical searches, ${engine}) | write ms mean / p50 / p99 | lexical ms mean / p50 / p99 | pending pages left |`,
      '|---|---:|---:|---:|',
      ...results.map(
        (r) =>
          `| ${r.option} | ${r.write_ms.mean} / ${r.write_ms.p50} / ${r.write_ms.p99} | ${r.lexical_ms.mean} / ${r.lexical_ms.p50} / ${r.lexical_ms.p99} | ${r.pending_pages_left} |`,
      ),
    ].join('\n') + '\n',
  );
  const dir = resolve(__dirname, '../../bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `gin-pending-${engine}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ engine, rows, inserts, queries, results }, null, 2));
  process.stderr.write(`wrote ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
