/**
 * Agent-memory benchmark: loads N synthetic events spread over 12 months (text drawn from a Zipf
 * vocabulary so lexical search has work to do; hash embeddings; the batch path), lets partition
 * maintenance move them into monthly partitions, builds the HNSW index, ANALYZEs, then measures
 * p50/p95/p99 of each search mode, recall@10 of vector search against exact search, the storage the
 * server holds (table and index sizes), and ingest rates with every index live (single events from 8
 * concurrent writers on PostgreSQL, then batches of 1,000).
 *
 * `npm run bench:memory -- --events 100000 [--queries 500] [--ef-search 100] [--recall-queries 200] [--ef-sweep 40,60] [--keep]`
 *
 * Database: a fresh database created on the server of `DATABASE_URL` (dropped at the end unless
 * --keep), else embedded PGlite in a temporary directory. Progress on stderr, the table on stdout,
 * the JSON in bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { isCitusDatabase, queryRows, type DbHandle } from '@mnemolite/db';
import { argument, openBenchDatabase, progress } from './bench-database';
import { HashEmbedder, toVectorLiteral } from '@mnemolite/embeddings';
import { EventsService, SearchService, searchRequestSchema, type SearchRequest } from '@mnemolite/memory';
import { SEARCH_KINDS } from './search-kinds';
import { generator, percentile, type Generator } from './synthetic-events';
import { fillSyntheticStore } from './synthetic-store';

const BATCH = 1000;
const CONCURRENT_CLIENTS = 8;

interface Measured {
  name: string;
  queries: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  avgResults: number;
  fullPages: number;
}

async function measure(name: string, count: number, makeRequest: () => SearchRequest, search: SearchService): Promise<Measured> {
  for (let i = 0; i < 20; i++) await search.search(DEFAULT_NAMESPACE, makeRequest()); // warm-up
  const timings: number[] = [];
  let results = 0;
  let full = 0;
  const bar = progress(name, count);
  for (let i = 0; i < count; i++) {
    const request = makeRequest();
    const started = performance.now();
    const response = await search.search(DEFAULT_NAMESPACE, request);
    timings.push(performance.now() - started);
    results += response.results.length;
    if (response.results.length === request.limit) full++;
    bar.increment();
  }
  bar.stop();
  timings.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    name,
    queries: count,
    p50: round(percentile(timings, 50)),
    p95: round(percentile(timings, 95)),
    p99: round(percentile(timings, 99)),
    mean: round(timings.reduce((a, b) => a + b, 0) / count),
    avgResults: round(results / count),
    fullPages: full,
  };
}

/** Recall@10: the same queries through HNSW and exactly (index scans off: a sequential scan and sort). */
async function measureRecall(
  search: SearchService,
  count: number,
  gen: Generator,
  embedder: HashEmbedder,
  db: DbHandle['db'],
  limit: number,
): Promise<number> {
  const bar = progress('recall@10', count);
  let hits = 0;
  for (let i = 0; i < count; i++) {
    // Both sides search the same vector: a text query would be embedded with the store's idf weights
    // (hash embedder), a different vector from the exact side's, and recall would measure that instead.
    const vector = embedder.embedOne(gen.queryText());
    const approximate = await search.search(
      DEFAULT_NAMESPACE,
      searchRequestSchema.parse({ vector: Array.from(vector), mode: 'vector', limit }),
    );
    const exact = await db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_indexscan = off`);
      return queryRows<{ id: string }>(
        tx,
        sql`select id from events where embedding_model = ${embedder.modelId}
            order by embedding <=> ${toVectorLiteral(vector)}::vector limit ${limit}`,
      );
    });
    const truth = new Set(exact.map((row) => row.id));
    hits += approximate.results.filter((result) => truth.has(result.event.id)).length;
    bar.increment();
  }
  bar.stop();
  return Math.round((hits / (count * limit)) * 1000) / 1000;
}

async function main(): Promise<void> {
  const total = argument('events', 100_000);
  const queries = argument('queries', 500);
  const efSearch = argument('ef-search', 0) || undefined;
  const recallQueries = argument('recall-queries', 200);
  const keep = process.argv.includes('--keep');
  const sweepIndex = process.argv.indexOf('--ef-sweep');
  const efSweep = sweepIndex >= 0 ? process.argv[sweepIndex + 1].split(',').map(Number) : [];
  const now = new Date();
  const gen = generator(now);
  const embedder = new HashEmbedder(768);
  const database = await openBenchDatabase(keep);
  process.stderr.write(`MnemoLite memory bench: ${total} events on ${database.label}\n`);
  try {
    const filled = await fillSyntheticStore(database.handle, total, gen, embedder);
    const { loadSeconds, maintenanceSeconds, indexSeconds, maintenance: report } = filled;
    await database.reopen();
    const { db } = database.handle;
    const events = new EventsService({ db, textEmbedder: embedder });
    const search = new SearchService({ db, textEmbedder: embedder, efSearch });
    const sizes = await storageSizes(db);
    const [{ default_rows }] = await queryRows<{ default_rows: number }>(db, sql`select count(*)::int as default_rows from events_default`);

    const limit = 10;
    const req = (body: Record<string, unknown>) => searchRequestSchema.parse({ limit, ...body });
    const rows: Measured[] = [];
    for (const kind of SEARCH_KINDS) rows.push(await measure(kind.name, queries, () => req(kind.request(gen)), search));

    const recall = await measureRecall(search, recallQueries, gen, embedder, db, limit);

    // Tuning aid: vector latency and recall at other ef_search values (`--ef-sweep 20,40,100`).
    const sweep: { ef_search: number; vector: Measured; recall_at_10: number }[] = [];
    for (const ef of efSweep) {
      const tuned = new SearchService({ db, textEmbedder: embedder, efSearch: ef });
      const vector = await measure(
        `vector ef_search=${ef}`,
        Math.min(queries, 200),
        () => req({ query: gen.queryText(), mode: 'vector' }),
        tuned,
      );
      sweep.push({
        ef_search: ef,
        vector,
        recall_at_10: await measureRecall(tuned, Math.min(recallQueries, 100), gen, embedder, db, limit),
      });
    }

    // Ingest with every index in place: single writes from `clients` concurrent writers (one on PGlite,
    // which has one connection), then batches.
    const clients = database.handle.engine === 'postgres' ? CONCURRENT_CLIENTS : 1;
    const singles = Math.min(1000, Math.max(50, Math.floor(total / 100)));
    const ingestBar = progress(`ingest (single, ${clients} clients)`, singles);
    let started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < singles) {
          const i = next++;
          await events.create(DEFAULT_NAMESPACE, { ...gen.event(i), timestamp: undefined });
          ingestBar.increment();
        }
      }),
    );
    ingestBar.stop();
    const singleRate = Math.round(singles / ((performance.now() - started) / 1000));
    const batchTotal = Math.min(10_000, Math.max(2_000, Math.floor(total / 10)));
    const batchBar = progress('ingest (batch of 1000)', batchTotal);
    started = performance.now();
    for (let offset = 0; offset < batchTotal; offset += BATCH) {
      await events.createMany(
        DEFAULT_NAMESPACE,
        Array.from({ length: BATCH }, (_, j) => ({ ...gen.event(offset + j), timestamp: undefined })),
      );
      batchBar.increment(BATCH);
    }
    batchBar.stop();
    const batchRate = Math.round(batchTotal / ((performance.now() - started) / 1000));

    const [server] = await queryRows<{ version: string; vector: string }>(
      db,
      sql`select current_setting('server_version') as version, (select extversion from pg_extension where extname = 'vector') as vector`,
    );
    const result = {
      engine: isCitusDatabase(db) ? 'citus' : database.handle.engine,
      server_version: server.version,
      pgvector: server.vector,
      ...(database.handle.sharedBuffersMb === null ? {} : { pglite_shared_buffers_mb: database.handle.sharedBuffersMb }),
      events: total,
      partitions: report.partitions.length,
      rows_left_in_default_partition: default_rows,
      ef_search: efSearch ?? 'service default',
      limit,
      load: {
        seconds: Math.round(loadSeconds),
        events_per_s: Math.round(total / loadSeconds),
        note: 'batch path, HNSW index dropped during the load',
      },
      partition_maintenance_s: Math.round(maintenanceSeconds * 10) / 10,
      hnsw_build_s: Math.round(indexSeconds * 10) / 10,
      queries: rows,
      recall_at_10: recall,
      recall_queries: recallQueries,
      ef_sweep: sweep,
      storage_mb: sizes,
      ingest: {
        single_events_per_s: singleRate,
        single_events: singles,
        single_clients: clients,
        batch_events_per_s: batchRate,
        batch_events: batchTotal,
        batch_size: BATCH,
      },
      at: now.toISOString(),
    };
    printTable(result, rows);
    for (const point of sweep) {
      process.stdout.write(
        `ef_search ${point.ef_search}: vector p50 ${point.vector.p50} ms, p95 ${point.vector.p95} ms, p99 ${point.vector.p99} ms, recall@10 ${point.recall_at_10}\n`,
      );
    }
    const dir = resolve(__dirname, '../../bench/results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `memory-${result.engine}-${total}-${now.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`wrote ${file}\n`);
  } finally {
    await database.drop();
  }
}

/**
 * What the server holds, in MB: the events table (all partitions), its HNSW graphs (one per partition)
 * and its other indexes: the memory the working set wants from shared_buffers and the page cache.
 */
async function storageSizes(db: DbHandle['db']): Promise<Record<string, number>> {
  if (isCitusDatabase(db)) {
    // On Citus the rows and indexes are on the workers: Citus's size functions add up the shards.
    // The HNSW indexes alone and the database size per node are not measured there.
    const [row] = await queryRows<Record<string, string>>(
      db,
      sql`select
        (select sum(citus_table_size(relid)) from pg_partition_tree('events') where isleaf) as events_table,
        (select sum(citus_total_relation_size(relid) - citus_table_size(relid)) from pg_partition_tree('events') where isleaf)
          as all_events_indexes`,
    );
    return Object.fromEntries(Object.entries(row).map(([key, bytes]) => [key, Math.round(Number(bytes) / 1_048_576)]));
  }
  const [row] = await queryRows<Record<string, string>>(
    db,
    sql`select
      (select sum(pg_table_size(relid)) from pg_partition_tree('events')) as events_table,
      (select sum(pg_relation_size(relid)) from pg_partition_tree('events_embedding_hnsw_idx')) as hnsw_indexes,
      (select sum(pg_indexes_size(relid)) from pg_partition_tree('events')) as all_events_indexes,
      pg_database_size(current_database()) as database`,
  );
  return Object.fromEntries(Object.entries(row).map(([key, bytes]) => [key, Math.round(Number(bytes) / 1_048_576)]));
}

function printTable(result: Record<string, unknown> & { ingest: Record<string, number> }, rows: Measured[]): void {
  const lines = [
    `engine ${result['engine']} ${result['server_version']}, pgvector ${result['pgvector']}, ${result['events']} events in ${result['partitions']} monthly partitions, ef_search ${result['ef_search']}`,
    '',
    '| query | p50 ms | p95 ms | p99 ms | mean ms | avg results | full pages |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) => `| ${row.name} | ${row.p50} | ${row.p95} | ${row.p99} | ${row.mean} | ${row.avgResults} | ${row.fullPages}/${row.queries} |`,
    ),
    '',
    `recall@10 (vector vs exact, ${result['recall_queries']} queries): ${result['recall_at_10']}`,
    `load: ${JSON.stringify(result['load'])}; partition maintenance ${result['partition_maintenance_s']} s; HNSW build ${result['hnsw_build_s']} s`,
    `storage MB: ${JSON.stringify(result['storage_mb'])}`,
    `ingest: single ${result.ingest['single_events_per_s']} events/s (${result.ingest['single_events']}, ${result.ingest['single_clients']} concurrent clients), batch ${result.ingest['batch_events_per_s']} events/s (${result.ingest['batch_events']} in batches of ${result.ingest['batch_size']})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
