/**
 * Namespaced vector search on one PostgreSQL node vs a Citus cluster, at the same data size.
 *
 *   npm run bench:citus -- --single <postgres url> --citus <coordinator url> [--events 20000]
 *     [--namespaces 8] [--queries 200] [--ef-search 40]
 *
 * URLs default to the running throwaway clusters (tools/pg/test-cluster.sh, tools/pg/citus-cluster.sh)
 * read from BENCH_SINGLE_URL / BENCH_CITUS_URL. On each server: a new database (on Citus it joins
 * the cluster), the migrations, the monthly
 * partitions, then the same deterministic data: `--events` events spread evenly over `--namespaces`
 * namespaces, each with a 768-d vector, written server-side. Then the same `--queries` queries: the
 * 10 nearest events of one namespace (HNSW, cosine, ef_search, iterative scan), each in its own
 * transaction with the settings sent by SET LOCAL (so they reach the workers). Reports the latency
 * percentiles, the load time and, on Citus, the number of tasks of the plan (1 = routed to one shard
 * group). Both databases are dropped at the end.
 */
import { sql } from 'drizzle-orm';
import { detectCitus, queryRows, runMigrations, runPartitionMaintenance, transactionSettings } from '@mnemolite/db';
import { createTestDb } from '@mnemolite/db/testing';
import { argument } from './bench-database';
import { percentile } from './synthetic-events';

interface Result {
  target: string;
  engine: string;
  events: number;
  loadSeconds: number;
  tasks: number | null;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

async function measure(
  target: string,
  url: string,
  options: { events: number; namespaces: number; queries: number; ef: number },
): Promise<Result> {
  process.env['TEST_DATABASE_URL'] = url;
  const handle = await createTestDb({ migrate: false });
  try {
    await runMigrations(handle);
    await runPartitionMaintenance(handle.db, { premakeMonths: 1, retentionMonths: null });
    const citus = await detectCitus(handle.db);
    const started = performance.now();
    const batch = 2000;
    for (let from = 1; from <= options.events; from += batch) {
      const to = Math.min(options.events, from + batch - 1);
      await handle.db.execute(sql`insert into events (namespace, content, embedding, embedding_model)
        select 'ns' || (i % ${options.namespaces}), jsonb_build_object('text', 'event ' || i),
               array(select sin(i * 0.713 + d * 0.37) + cos(i * 0.291 * d) * 0.2 from generate_series(0, 767) as d)::vector(768),
               'bench'
          from generate_series(${from}::int, ${to}::int) as i`);
      process.stderr.write(`\r[${target}] loaded ${to}/${options.events}`);
    }
    process.stderr.write('\n');
    await handle.db.execute(sql`analyze events`);
    const loadSeconds = (performance.now() - started) / 1000;

    const query = (ns: string, seed: number) =>
      sql`select id from events where namespace = ${ns} and embedding_model = 'bench'
           order by embedding <=> (array(select sin(${seed}::float8 * 0.517 + d * 0.37) from generate_series(0, 767) as d)::vector(768))
           limit 10`;
    let tasks: number | null = null;
    if (citus) {
      const plan = await queryRows<{ 'QUERY PLAN': string }>(handle.db, sql`explain ${query('ns0', 1)}`);
      const match = /Task Count: (\d+)/.exec(plan.map((row) => row['QUERY PLAN']).join('\n'));
      tasks = match ? Number(match[1]) : null;
    }
    const settings = transactionSettings({ 'hnsw.ef_search': options.ef, 'hnsw.iterative_scan': 'relaxed_order' });
    const run = (i: number) =>
      handle.db.transaction(async (tx) => {
        for (const statement of settings) await tx.execute(statement);
        await tx.execute(query(`ns${i % options.namespaces}`, i));
      });
    for (let i = 0; i < 20; i++) await run(i); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < options.queries; i++) {
      const t0 = performance.now();
      await run(1000 + i);
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      target,
      engine: citus ? `citus ${citus.version}, ${citus.workers} workers` : handle.engine,
      events: options.events,
      loadSeconds: round(loadSeconds),
      tasks,
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      mean: round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length),
    };
  } finally {
    await handle.close();
  }
}

function textArgument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const single = textArgument('single') ?? process.env['BENCH_SINGLE_URL'];
  const citus = textArgument('citus') ?? process.env['BENCH_CITUS_URL'];
  if (!single || !citus) {
    throw new Error('give --single <postgres url> and --citus <coordinator url> (or BENCH_SINGLE_URL / BENCH_CITUS_URL)');
  }
  const options = {
    events: argument('events', 20_000),
    namespaces: argument('namespaces', 8),
    queries: argument('queries', 200),
    ef: argument('ef-search', 40),
  };
  const results = [await measure('one node', single, options), await measure('Citus', citus, options)];
  console.log(
    `Namespaced 10-NN vector search (HNSW, ef_search ${options.ef}), ${options.events} events in ${options.namespaces} namespaces, ${options.queries} queries`,
  );
  console.table(results);
  console.log(JSON.stringify({ options, results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
