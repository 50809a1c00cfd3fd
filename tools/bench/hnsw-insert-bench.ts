/**
 * What one HNSW insert costs, by graph options (`m`, `ef_construction`), on the engine at hand: the
 * write cost behind `bench:load`'s writes and `bench:memory`'s ingest (SEARCH.md, "What a write costs").
 *
 * For each option pair a table of its own (`vector(768)` with one HNSW cosine index) is loaded with the
 * same `--rows` hash-embedded synthetic texts (bench:memory's Zipf vocabulary) and its index built; then
 * `--inserts` further vectors are inserted one row per statement, the option pairs taking turns in
 * rounds of 20 rows so that the machine's load weighs on all alike. A table without an index gives the
 * cost of the row itself. Prints build time and ms per insert (mean, p50, p95).
 *
 * `npm run bench:hnsw-insert [-- --rows 3000] [--inserts 300] [--options 16:64,16:32,12:64,8:64,8:32]`
 *
 * Database: a fresh database on the server of `DATABASE_URL` (dropped at the end), else embedded PGlite
 * in a temporary directory. The table on stdout, the JSON in bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { runMigrations, textArray } from '@mnemolite/db';
import { HashEmbedder, toVectorLiteral } from '@mnemolite/embeddings';
import { argument, openBenchDatabase, progress } from './bench-database';
import { generator, percentile } from './synthetic-events';

const ROUND = 20;
const LOAD_BATCH = 500;

interface Variant {
  label: string;
  table: string;
  /** null: the table has no index (the cost of the row alone). */
  options: { m: number; efConstruction: number } | null;
  buildSeconds: number;
  insertMs: number[];
}

function optionPairs(): Variant['options'][] {
  const index = process.argv.indexOf('--options');
  const text = index >= 0 ? process.argv[index + 1] : '16:64,16:32,12:64,8:64,8:32';
  const pairs = text.split(',').map((pair) => {
    const [m, efConstruction] = pair.split(':').map(Number);
    if (!(m >= 2 && m <= 100 && efConstruction >= 2 * m && efConstruction <= 1000)) {
      throw new Error(`--options: "${pair}" is not m:ef_construction with 2 <= m <= 100 and 2m <= ef_construction <= 1000`);
    }
    return { m, efConstruction };
  });
  return [null, ...pairs];
}

async function main(): Promise<void> {
  const rows = argument('rows', 3000);
  const inserts = argument('inserts', 300);
  if (!(rows >= 100 && inserts >= ROUND)) throw new Error(`--rows must be at least 100 and --inserts at least ${ROUND}`);
  const embedder = new HashEmbedder(768);
  const gen = generator(new Date());
  const vectors = (
    await embedder.embed(
      Array.from({ length: rows + inserts }, (_, i) => String(gen.event(i).content['text'])),
      { kind: 'document' },
    )
  ).map((vector) => toVectorLiteral(vector));
  const database = await openBenchDatabase(false);
  const { db } = database.handle;
  process.stderr.write(`HNSW insert bench: ${rows} rows, then ${inserts} single-row inserts, on ${database.label}\n`);
  try {
    await runMigrations(database.handle);
    const variants: Variant[] = optionPairs().map((options, i) => ({
      label: options ? `m ${options.m}, ef_construction ${options.efConstruction}` : 'no index',
      table: `hnsw_insert_bench_${i}`,
      options,
      buildSeconds: 0,
      insertMs: [],
    }));
    for (const variant of variants) {
      await db.execute(sql.raw(`create table ${variant.table} (id bigserial primary key, embedding vector(768) not null)`));
      const bar = progress(`load ${variant.label}`, rows);
      for (let from = 0; from < rows; from += LOAD_BATCH) {
        const batch = vectors.slice(from, Math.min(rows, from + LOAD_BATCH));
        await db.execute(sql`insert into ${sql.raw(variant.table)} (embedding) select unnest(${textArray(batch)}::vector[])`);
        bar.update(from + batch.length);
      }
      bar.stop();
      if (variant.options) {
        const started = performance.now();
        await db.execute(
          sql.raw(
            `create index on ${variant.table} using hnsw (embedding vector_cosine_ops) with (m = ${variant.options.m}, ef_construction = ${variant.options.efConstruction})`,
          ),
        );
        variant.buildSeconds = (performance.now() - started) / 1000;
      }
    }
    const bar = progress('single-row inserts', inserts * variants.length);
    for (let from = rows; from < rows + inserts; from += ROUND) {
      for (const variant of variants) {
        for (let i = from; i < Math.min(rows + inserts, from + ROUND); i++) {
          const started = performance.now();
          await db.execute(sql`insert into ${sql.raw(variant.table)} (embedding) values (${vectors[i]}::vector)`);
          variant.insertMs.push(performance.now() - started);
        }
        bar.increment(ROUND);
      }
    }
    bar.stop();

    const results = variants.map((variant) => {
      const sorted = [...variant.insertMs].sort((a, b) => a - b);
      const mean = sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length;
      return {
        options: variant.label,
        build_s: Math.round(variant.buildSeconds * 10) / 10,
        insert_ms_mean: Math.round(mean * 100) / 100,
        insert_ms_p50: Math.round(percentile(sorted, 50) * 100) / 100,
        insert_ms_p95: Math.round(percentile(sorted, 95) * 100) / 100,
      };
    });
    process.stdout.write(
      [
        `| HNSW options (${rows} rows, ${inserts} inserts, ${database.label.split(' ')[0]}) | build s | ms per insert, mean | p50 | p95 |`,
        '|---|---:|---:|---:|---:|',
        ...results.map((r) => `| ${r.options} | ${r.build_s} | ${r.insert_ms_mean} | ${r.insert_ms_p50} | ${r.insert_ms_p95} |`),
      ].join('\n') + '\n',
    );
    const dir = resolve(__dirname, '../../bench/results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `hnsw-insert-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ engine: database.label, rows, inserts, results }, null, 2));
    process.stderr.write(`wrote ${file}\n`);
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
