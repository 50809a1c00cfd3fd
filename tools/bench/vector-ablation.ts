/**
 * Vector index layout ablation (issue 9, item 8): the same synthetic events (hash embeddings, 12 monthly
 * partitions) searched through several index layouts, one at a time, on one PostgreSQL server:
 *
 *   A    per-partition HNSW on the partitioned table's vector(768) column (the layout before issue 9: an
 *        unfiltered query walks the graph of every partition and merges them)
 *   B    one unpartitioned table (id, timestamp, vector(768)) with a single HNSW index
 *   C    as B, HNSW over the expression embedding::halfvec(768) (half the index)
 *   H    one unpartitioned table whose column is halfvec(768), HNSW halfvec (m 16, ef_construction 64)
 *   H32  as H with a denser graph (m 32, ef_construction 128)
 *   D    as B, HNSW over binary_quantize(embedding)::bit(768) (Hamming), 10x over-fetch re-ranked exactly
 *
 * Each one-table design has a table of its own, so every index exists at once and the queries run
 * interleaved (query i on every design in turn): the machine's load, shared with others, then weighs on
 * every design alike. Per design: build time, index size, ingest with the index live (batches of 100
 * rows and single-row statements, events row + vector row in one statement, measured right after its
 * build while no other HNSW index of the same rows exists); per design and ef_search: p50/p95 of
 * unfiltered top-10 (rows fetched from the events table, as the product does), recall@10 against exact
 * search (a sequential scan over the full-precision vectors), p95 and full pages of a one-month window.
 *
 * `DATABASE_URL=postgres://… npm run bench:ablation -- --events 100000 [--designs A,B,C,H,H32,D]
 *   [--ef 40,100] [--queries 300] [--recall-queries 100] [--inserts 2000] [--keep | --reuse <database>]`
 *
 * A fresh database is created on that server and dropped at the end (kept with `--keep`; `--reuse` measures
 * designs on the events of a kept one, loaded by a run with the same `--events`). Results: table on stdout, JSON
 * in bench/results/. Machine load (1-minute load average) is printed beside every design.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { HashEmbedder, toVectorLiteral } from '@mnemolite/embeddings';
import { argument, progress } from './bench-database';
import { generator, MONTHS, percentile } from './synthetic-events';

const LIMIT = 10;
const LOAD_BATCH = 1000;
const INSERT_BATCH = 100;
/** Binary quantisation keeps 1 bit per dimension: re-rank this many times `LIMIT` candidates exactly. */
const BINARY_OVERFETCH = 10;

interface Design {
  key: string;
  name: string;
  /** The design's own vector table, filled from the events before its index is built (none for A). */
  table?: { name: string; type: 'vector(768)' | 'halfvec(768)' };
  /** Statements that build the index (timed together). */
  build: string[];
  /** Bytes of the index (all partitions). */
  sizeSql: string;
  /** Bytes of the extra table the design needs (0 when it indexes the events table itself). */
  tableSizeSql: string;
  /** Top-10 rows with their content: $1 query vector; `window` adds $2 <= timestamp < $3. */
  query(window: boolean): string;
  /** Insert a batch of new events, vector rows included ($1 ids, $2 timestamps, $3 bodies, $4 vectors). */
  insertSql: string;
}

const inWindow = (alias: string) => `where ${alias}.ts >= $2 and ${alias}.ts < $3`;
const insertEvents = `insert into ab_events (id, ts, body, embedding)
  select * from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::vector[])`;
const withVectorRow = (table: string, cast: string) => `with e as (${insertEvents} returning id, ts, embedding)
  insert into ${table} (id, ts, embedding) select id, ts, embedding${cast} from e`;
const fetchEvents = (inner: string) => `select e.id, e.ts, e.body, v.distance from (${inner}) v
  join ab_events e on e.id = v.id and e.ts = v.ts order by v.distance, e.id`;

const DESIGNS: Design[] = [
  {
    key: 'A',
    name: 'per-partition HNSW, vector(768)',
    build: ['create index ab_a_idx on ab_events using hnsw (embedding vector_cosine_ops)'],
    sizeSql: `select sum(pg_relation_size(relid))::bigint as bytes from pg_partition_tree('ab_a_idx')`,
    tableSizeSql: 'select 0::bigint as bytes',
    query: (window) => `select id, ts, body, embedding <=> $1::vector as distance from ab_events e
      ${window ? inWindow('e') : ''} order by embedding <=> $1::vector limit ${LIMIT}`,
    insertSql: insertEvents,
  },
  {
    key: 'B',
    name: 'one table, HNSW vector(768)',
    table: { name: 'ab_vectors_b', type: 'vector(768)' },
    build: ['create index ab_b_idx on ab_vectors_b using hnsw (embedding vector_cosine_ops)'],
    sizeSql: `select pg_relation_size('ab_b_idx')::bigint as bytes`,
    tableSizeSql: `select pg_total_relation_size('ab_vectors_b')::bigint as bytes`,
    query: (window) =>
      fetchEvents(`select id, ts, embedding <=> $1::vector as distance from ab_vectors_b v ${window ? inWindow('v') : ''}
        order by embedding <=> $1::vector limit ${LIMIT}`),
    insertSql: withVectorRow('ab_vectors_b', ''),
  },
  {
    key: 'C',
    name: 'one table vector(768), HNSW on ::halfvec(768) expression',
    table: { name: 'ab_vectors_c', type: 'vector(768)' },
    build: ['create index ab_c_idx on ab_vectors_c using hnsw ((embedding::halfvec(768)) halfvec_cosine_ops)'],
    sizeSql: `select pg_relation_size('ab_c_idx')::bigint as bytes`,
    tableSizeSql: `select pg_total_relation_size('ab_vectors_c')::bigint as bytes`,
    query: (window) =>
      fetchEvents(`select id, ts, embedding::halfvec(768) <=> $1::halfvec(768) as distance from ab_vectors_c v
        ${window ? inWindow('v') : ''} order by embedding::halfvec(768) <=> $1::halfvec(768) limit ${LIMIT}`),
    insertSql: withVectorRow('ab_vectors_c', ''),
  },
  {
    key: 'H',
    name: 'one table, halfvec(768) column, HNSW halfvec',
    table: { name: 'ab_halfvecs_h', type: 'halfvec(768)' },
    build: ['create index ab_h_idx on ab_halfvecs_h using hnsw (embedding halfvec_cosine_ops)'],
    sizeSql: `select pg_relation_size('ab_h_idx')::bigint as bytes`,
    tableSizeSql: `select pg_total_relation_size('ab_halfvecs_h')::bigint as bytes`,
    query: (window) =>
      fetchEvents(`select id, ts, embedding <=> $1::halfvec(768) as distance from ab_halfvecs_h v
        ${window ? inWindow('v') : ''} order by embedding <=> $1::halfvec(768) limit ${LIMIT}`),
    insertSql: withVectorRow('ab_halfvecs_h', '::halfvec(768)'),
  },
  {
    key: 'H32',
    name: 'one table, halfvec(768) column, HNSW halfvec m 32 ef_construction 128',
    table: { name: 'ab_halfvecs_h32', type: 'halfvec(768)' },
    build: ['create index ab_h32_idx on ab_halfvecs_h32 using hnsw (embedding halfvec_cosine_ops) with (m = 32, ef_construction = 128)'],
    sizeSql: `select pg_relation_size('ab_h32_idx')::bigint as bytes`,
    tableSizeSql: `select pg_total_relation_size('ab_halfvecs_h32')::bigint as bytes`,
    query: (window) =>
      fetchEvents(`select id, ts, embedding <=> $1::halfvec(768) as distance from ab_halfvecs_h32 v
        ${window ? inWindow('v') : ''} order by embedding <=> $1::halfvec(768) limit ${LIMIT}`),
    insertSql: withVectorRow('ab_halfvecs_h32', '::halfvec(768)'),
  },
  {
    key: 'D',
    name: `one table, HNSW on binary_quantize bit(768), ${BINARY_OVERFETCH}x over-fetch + exact re-rank`,
    table: { name: 'ab_vectors_d', type: 'vector(768)' },
    build: ['create index ab_d_idx on ab_vectors_d using hnsw ((binary_quantize(embedding)::bit(768)) bit_hamming_ops)'],
    sizeSql: `select pg_relation_size('ab_d_idx')::bigint as bytes`,
    tableSizeSql: `select pg_total_relation_size('ab_vectors_d')::bigint as bytes`,
    query: (window) =>
      fetchEvents(`select id, ts, embedding <=> $1::vector as distance from (
          select id, ts, embedding from ab_vectors_d v ${window ? inWindow('v') : ''}
           order by binary_quantize(embedding)::bit(768) <~> binary_quantize($1::vector) limit ${LIMIT * BINARY_OVERFETCH}
        ) c order by embedding <=> $1::vector limit ${LIMIT}`),
    insertSql: withVectorRow('ab_vectors_d', ''),
  },
];

interface QueryFigures {
  ef_search: number;
  p50_ms: number;
  p95_ms: number;
  recall_at_10: number;
  window_p95_ms: number;
  window_full_pages: string;
}

interface DesignResult {
  key: string;
  name: string;
  load_avg_1m: number;
  build_s: number;
  index_mb: number;
  extra_table_mb: number;
  queries: QueryFigures[];
  insert_batch_rows_per_s: number;
  insert_single_rows_per_s: number;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const loadAverage = () => round(loadavg()[0], 1);

async function timed(client: Client, text: string, values: unknown[]): Promise<{ ms: number; rows: { id: string }[] }> {
  const started = performance.now();
  const result = await client.query<{ id: string }>(text, values);
  return { ms: performance.now() - started, rows: result.rows };
}

async function main(): Promise<void> {
  const serverUrl = process.env['DATABASE_URL'];
  if (!serverUrl) throw new Error('bench:ablation needs DATABASE_URL (a PostgreSQL server with pgvector >= 0.7)');
  const total = argument('events', 100_000);
  const queryCount = argument('queries', 300);
  const recallCount = argument('recall-queries', 100);
  const insertCount = argument('inserts', 2000);
  const designsIndex = process.argv.indexOf('--designs');
  const wanted = designsIndex >= 0 ? process.argv[designsIndex + 1].split(',') : DESIGNS.map((d) => d.key);
  const efIndex = process.argv.indexOf('--ef');
  const efs = efIndex >= 0 ? process.argv[efIndex + 1].split(',').map(Number) : [40, 100];
  const designs = DESIGNS.filter((design) => wanted.includes(design.key));

  // `--reuse <database>`: the events of a run kept with `--keep` (the load of 1,000,000 takes a while).
  const reuse = process.argv.includes('--reuse') ? process.argv[process.argv.indexOf('--reuse') + 1] : null;
  const keep = process.argv.includes('--keep') || reuse !== null;
  const name = reuse ?? `mnemolite_ablation_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  if (!reuse) await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  const now = new Date();
  const gen = generator(now);
  const embedder = new HashEmbedder(768);
  try {
    const [server] = (
      await client.query<{ version: string; shared_buffers: string; maintenance_work_mem: string; workers: string }>(
        `select current_setting('server_version') as version, current_setting('shared_buffers') as shared_buffers,
                current_setting('maintenance_work_mem') as maintenance_work_mem,
                current_setting('max_parallel_maintenance_workers') as workers`,
      )
    ).rows;
    await client.query('create extension if not exists vector');
    const [{ pgvector }] = (
      await client.query<{ pgvector: string }>(`select extversion as pgvector from pg_extension where extname = 'vector'`)
    ).rows;
    process.stderr.write(`vector ablation: ${total} events on PostgreSQL ${server.version}, pgvector ${pgvector}, load ${loadAverage()}\n`);

    const loadStarted = performance.now();
    if (reuse) {
      gen.replayQueryTexts();
      await createDesignTables(client, designs);
    } else {
      await createTables(client, now, designs);
      await load(client, total, gen, embedder);
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await client.query('vacuum analyze ab_events');

    const texts = Array.from({ length: queryCount }, () => gen.queryText());
    const vectors = texts.map((text) => toVectorLiteral(embedder.embedOne(text)));
    const windows = texts.map(() => gen.monthWindow());
    const truth = await exactNeighbors(client, vectors.slice(0, recallCount));
    const inputs = { vectors, windows, truth, efs, insertCount, gen, embedder };

    // One-table designs first: their ingest is measured while events has no HNSW index; A last.
    const built = new Map<string, BuildFigures>();
    for (const design of [...designs.filter((d) => d.table), ...designs.filter((d) => !d.table)]) {
      built.set(design.key, await buildDesign(client, design, inputs, designs));
    }
    const queried = await queryDesigns(client, designs, inputs);
    const results: DesignResult[] = designs.map((design) => ({
      key: design.key,
      name: design.name,
      ...(built.get(design.key) as BuildFigures),
      queries: queried.get(design.key) ?? [],
    }));

    const report = {
      events: total,
      months: MONTHS,
      server_version: server.version,
      pgvector,
      settings: {
        shared_buffers: server.shared_buffers,
        maintenance_work_mem: server.maintenance_work_mem,
        max_parallel_maintenance_workers: server.workers,
      },
      load_s: Math.round(loadSeconds),
      queries: queryCount,
      recall_queries: recallCount,
      designs: results,
      at: now.toISOString(),
    };
    printTable(report, results);
    const dir = resolve(__dirname, '../../bench/results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `ablation-${total}-${now.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`wrote ${file}\n`);
  } finally {
    await client.end();
    if (keep) process.stderr.write(`kept database ${name} (--reuse ${name} measures other designs on its events)\n`);
    else await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

/** The events table as the product has it (monthly partitions, a default one, vectors stored inline) and the one-table layouts. */
async function createTables(client: Client, now: Date, designs: Design[]): Promise<void> {
  await client.query(`create table ab_events (
      id uuid not null, ts timestamptz not null, body text not null, embedding vector(768),
      primary key (id, ts)) partition by range (ts)`);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - MONTHS, 1));
  for (let m = 0; m <= MONTHS + 1; m++) {
    const from = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m, 1));
    const to = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m + 1, 1));
    await client.query(
      `create table ab_events_m${m} partition of ab_events for values from ('${from.toISOString()}') to ('${to.toISOString()}')`,
    );
  }
  await client.query('create table ab_events_default partition of ab_events default');
  // As the product's events.embedding (migration 0001): vectors stored in the row, not TOASTed.
  await client.query('alter table ab_events alter column embedding set storage plain');
  await createDesignTables(client, designs);
}

/** The one-table designs' own tables, empty (filled from the events before each build); indexes of an earlier run dropped. */
async function createDesignTables(client: Client, designs: Design[]): Promise<void> {
  for (const { key, table } of designs) {
    if (!table) {
      await client.query(`drop index if exists ab_${key.toLowerCase()}_idx`);
      continue;
    }
    await client.query(`drop table if exists ${table.name}`);
    await client.query(`create table ${table.name} (id uuid primary key, ts timestamptz not null, embedding ${table.type} not null)`);
    await client.query(`alter table ${table.name} alter column embedding set storage plain`);
  }
}

interface Batch {
  ids: string[];
  timestamps: string[];
  bodies: string[];
  vectors: string[];
}

function makeBatch(gen: ReturnType<typeof generator>, embedder: HashEmbedder, size: number, at?: Date): Batch {
  const batch: Batch = { ids: [], timestamps: [], bodies: [], vectors: [] };
  for (let i = 0; i < size; i++) {
    const event = gen.event(i);
    const text = String((event.content as { text: string }).text);
    batch.ids.push(randomUUID());
    batch.timestamps.push(at ? at.toISOString() : String(event.timestamp));
    batch.bodies.push(text);
    batch.vectors.push(toVectorLiteral(embedder.embedOne(text)));
  }
  return batch;
}

const batchValues = (batch: Batch) => [batch.ids, batch.timestamps, batch.bodies, batch.vectors];

/** Multi-row inserts of 1,000 events, the next batch embedded while the server writes the last one. */
async function load(client: Client, total: number, gen: ReturnType<typeof generator>, embedder: HashEmbedder): Promise<void> {
  const bar = progress('load', total);
  let pending: Promise<unknown> = Promise.resolve();
  for (let offset = 0; offset < total; offset += LOAD_BATCH) {
    const size = Math.min(LOAD_BATCH, total - offset);
    const batch = makeBatch(gen, embedder, size);
    await pending;
    pending = client.query(insertEvents, batchValues(batch)).then(() => bar.increment(size));
  }
  await pending;
  bar.stop();
}

/** Exact top-10 of each query: no vector index exists yet, so this is a scan and sort over full-precision vectors. */
async function exactNeighbors(client: Client, vectors: string[]): Promise<Set<string>[]> {
  const bar = progress('exact top-10 (truth)', vectors.length);
  const truth: Set<string>[] = [];
  for (const vector of vectors) {
    const { rows } = await client.query<{ id: string }>(`select id from ab_events order by embedding <=> $1::vector limit ${LIMIT}`, [
      vector,
    ]);
    truth.push(new Set(rows.map((row) => row.id)));
    bar.increment();
  }
  bar.stop();
  return truth;
}

interface RunInputs {
  vectors: string[];
  windows: { ts_start: string; ts_end: string }[];
  truth: Set<string>[];
  efs: number[];
  insertCount: number;
  gen: ReturnType<typeof generator>;
  embedder: HashEmbedder;
}

interface BuildFigures {
  load_avg_1m: number;
  build_s: number;
  index_mb: number;
  extra_table_mb: number;
  insert_batch_rows_per_s: number;
  insert_single_rows_per_s: number;
}

async function buildDesign(client: Client, design: Design, inputs: RunInputs, designs: Design[]): Promise<BuildFigures> {
  const load = loadAverage();
  process.stderr.write(`design ${design.key} (${design.name}), load ${load}: filling and building...\n`);
  if (design.table) {
    const cast = design.table.type === 'halfvec(768)' ? '::halfvec(768)' : '';
    await client.query(`insert into ${design.table.name} (id, ts, embedding) select id, ts, embedding${cast} from ab_events`);
    await client.query(`vacuum analyze ${design.table.name}`);
  }
  const buildStarted = performance.now();
  for (const statement of design.build) await client.query(statement);
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  const [{ bytes }] = (await client.query<{ bytes: string }>(design.sizeSql)).rows;
  const [{ bytes: tableBytes }] = (await client.query<{ bytes: string }>(design.tableSizeSql)).rows;
  const { batchRate, singleRate } = await measureInserts(client, design, inputs, designs);
  process.stderr.write(`  build ${round(buildSeconds, 1)} s, ingest ${batchRate} rows/s in batches, ${singleRate} single\n`);
  return {
    load_avg_1m: load,
    build_s: round(buildSeconds, 1),
    index_mb: round(Number(bytes) / 1_048_576, 1),
    extra_table_mb: round(Number(tableBytes) / 1_048_576, 1),
    insert_batch_rows_per_s: batchRate,
    insert_single_rows_per_s: singleRate,
  };
}

/** Every design's queries, interleaved: query i runs on each design in turn, for each ef_search. */
async function queryDesigns(client: Client, designs: Design[], inputs: RunInputs): Promise<Map<string, QueryFigures[]>> {
  await client.query('analyze ab_events');
  await client.query(`set hnsw.iterative_scan = relaxed_order`);
  const figures = new Map<string, QueryFigures[]>(designs.map((design) => [design.key, []]));
  const efSql = (design: Design, ef: number) => `set hnsw.ef_search = ${Math.max(ef, design.key === 'D' ? LIMIT * BINARY_OVERFETCH : 0)}`;
  for (const ef of inputs.efs) {
    const timings = new Map<string, { unfiltered: number[]; window: number[]; hits: number; full: number }>(
      designs.map((design) => [design.key, { unfiltered: [], window: [], hits: 0, full: 0 }]),
    );
    for (const design of designs) {
      await client.query(efSql(design, ef));
      for (let i = 0; i < 10; i++) await client.query(design.query(false), [inputs.vectors[i % inputs.vectors.length]]);
    }
    const bar = progress(`ef_search ${ef}, ${designs.length} designs`, inputs.vectors.length * 2);
    for (let i = 0; i < inputs.vectors.length; i++) {
      for (const design of designs) {
        const t = timings.get(design.key) as { unfiltered: number[]; window: number[]; hits: number; full: number };
        await client.query(efSql(design, ef));
        const { ms, rows } = await timed(client, design.query(false), [inputs.vectors[i]]);
        t.unfiltered.push(ms);
        if (i < inputs.truth.length) t.hits += rows.filter((row) => inputs.truth[i].has(row.id)).length;
      }
      bar.increment();
    }
    for (let i = 0; i < inputs.vectors.length; i++) {
      const { ts_start, ts_end } = inputs.windows[i];
      for (const design of designs) {
        const t = timings.get(design.key) as { unfiltered: number[]; window: number[]; hits: number; full: number };
        await client.query(efSql(design, ef));
        const { ms, rows } = await timed(client, design.query(true), [inputs.vectors[i], ts_start, ts_end]);
        t.window.push(ms);
        if (rows.length === LIMIT) t.full++;
      }
      bar.increment();
    }
    bar.stop();
    for (const design of designs) {
      const t = timings.get(design.key) as { unfiltered: number[]; window: number[]; hits: number; full: number };
      t.unfiltered.sort((a, b) => a - b);
      t.window.sort((a, b) => a - b);
      figures.get(design.key)?.push({
        ef_search: ef,
        p50_ms: round(percentile(t.unfiltered, 50)),
        p95_ms: round(percentile(t.unfiltered, 95)),
        recall_at_10: round(t.hits / (inputs.truth.length * LIMIT), 3),
        window_p95_ms: round(percentile(t.window, 95)),
        window_full_pages: `${t.full}/${inputs.vectors.length}`,
      });
    }
  }
  return figures;
}

/** New events of the current month with the design's index live; removed again afterwards. */
async function measureInserts(
  client: Client,
  design: Design,
  inputs: RunInputs,
  designs: Design[],
): Promise<{ batchRate: number; singleRate: number }> {
  const ids: string[] = [];
  const batches = Array.from({ length: Math.ceil(inputs.insertCount / INSERT_BATCH) }, () =>
    makeBatch(inputs.gen, inputs.embedder, INSERT_BATCH, new Date()),
  );
  let started = performance.now();
  for (const batch of batches) {
    await client.query(design.insertSql, batchValues(batch));
    ids.push(...batch.ids);
  }
  const batchRate = Math.round((batches.length * INSERT_BATCH) / ((performance.now() - started) / 1000));
  const singles = makeBatch(inputs.gen, inputs.embedder, Math.min(500, Math.ceil(inputs.insertCount / 4)), new Date());
  started = performance.now();
  for (let i = 0; i < singles.ids.length; i++) {
    await client.query(design.insertSql, [[singles.ids[i]], [singles.timestamps[i]], [singles.bodies[i]], [singles.vectors[i]]]);
  }
  const singleRate = Math.round(singles.ids.length / ((performance.now() - started) / 1000));
  ids.push(...singles.ids);
  const tables = ['ab_events', ...designs.flatMap((d) => (d.table ? [d.table.name] : []))];
  for (const table of tables) await client.query(`delete from ${table} where id = any($1::uuid[])`, [ids]);
  for (const table of tables) await client.query(`vacuum ${table}`);
  return { batchRate, singleRate };
}

function printTable(
  report: { events: number; server_version: string; pgvector: string; settings: Record<string, string>; load_s: number },
  results: DesignResult[],
): void {
  const lines = [
    `${report.events} events over ${MONTHS} monthly partitions, PostgreSQL ${report.server_version}, pgvector ${report.pgvector}, ${JSON.stringify(report.settings)}, load ${report.load_s} s`,
    '',
    '| design | ef_search | p50 ms | p95 ms | recall@10 | 1-month p95 ms (full pages) | build s | index MB | extra table MB | insert rows/s (batch 100 / single) | load avg |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.flatMap((r) =>
      r.queries.map(
        (q) =>
          `| ${r.key}: ${r.name} | ${q.ef_search} | ${q.p50_ms} | ${q.p95_ms} | ${q.recall_at_10} | ${q.window_p95_ms} (${q.window_full_pages}) | ${r.build_s} | ${r.index_mb} | ${r.extra_table_mb} | ${r.insert_batch_rows_per_s} / ${r.insert_single_rows_per_s} | ${r.load_avg_1m} |`,
      ),
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
