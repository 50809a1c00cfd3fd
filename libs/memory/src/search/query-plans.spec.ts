import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, runPartitionMaintenance } from '@mnemolite/db';
import { testEngineName, type TestDb } from '@mnemolite/db/testing';
import { listEventsSql } from '../events/list-events';
import { createMemoryTestDb } from '../testing';
import { analyseLexicalQuery } from './bm25';
import { CONTEXT, defaultFusion, hybridSearchSql, lexicalSearchSql } from './search-sql';

const engine = testEngineName();

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'CTE Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
  /** On Citus, a Custom Scan's distributed query: the EXPLAIN output of each task run on a worker. */
  'Distributed Query'?: { Job?: { Tasks?: { 'Remote Plan'?: { Plan: PlanNode }[][] }[] } };
}

/** Every node of a plan, and on Citus of the plans its tasks ran on the workers (one namespace: one shard). */
function* walk(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* walk(child);
  for (const task of node['Distributed Query']?.Job?.Tasks ?? []) {
    for (const output of task['Remote Plan'] ?? []) for (const statement of output) yield* walk(statement.Plan);
  }
}

/** Every node of the executed plan of `query`. */
async function executedPlan(database: TestDb, query: SQL): Promise<PlanNode[]> {
  const [row] = await queryRows<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(database.db, sql`explain (analyze, format json) ${query}`);
  const plan = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
  return [...walk(plan[0].Plan)];
}

/** Scans of events partitions in the executed plan of `query`, with the rows each loop returned. */
async function eventScans(database: TestDb, query: SQL): Promise<{ node: string; rowsPerLoop: number; loops: number }[]> {
  return (await executedPlan(database, query))
    .filter((node) => node['Relation Name']?.startsWith('events_') && node['Actual Loops'] > 0)
    .map((node) => ({ node: node['Node Type'], rowsPerLoop: node['Actual Rows'], loops: node['Actual Loops'] }));
}

/**
 * Cost, not timing: how many rows the plans read. A burst of memories within the hour is the common
 * case (an agent writes many per conversation), and the neighbor probes of conversation context and
 * the newest-first listing must not read all of them.
 */
describe(`query plans over a busy hour (${engine})`, () => {
  let database: TestDb;
  const count = 600;
  const history = 10_000;

  beforeAll(async () => {
    database = await createMemoryTestDb();
    // Without vectors: these plans are lexical and listing ones, and the HNSW inserts would only cost time.
    await database.db.execute(sql`insert into events (namespace, id, "timestamp", content, metadata)
      select ${DEFAULT_NAMESPACE}, gen_random_uuid(), now() - interval '30 minutes' + (i || ' seconds')::interval,
             jsonb_build_object('text', 'turn ' || i || ' about ' || case when i % 3 = 0 then 'the garden' else 'the weather' end || ' and other things'),
             '{}'::jsonb
        from generate_series(1, ${count}) as i`);
    // And a store's history before it: the busy hour is a small part of the table, as it is in use.
    await database.db.execute(sql`insert into events (namespace, id, "timestamp", content, metadata)
      select ${DEFAULT_NAMESPACE}, gen_random_uuid(), now() - interval '2 hours' - (i || ' minutes')::interval,
             jsonb_build_object('text', 'older note ' || i), '{}'::jsonb
        from generate_series(1, ${history}) as i`);
    await database.db.execute(sql`analyze`);
  }, 120_000);
  afterAll(async () => {
    await database.close();
  });

  it('each conversation-context probe reads a few rows, not the whole hour around its event', async () => {
    const lexical = await analyseLexicalQuery(database.db, DEFAULT_NAMESPACE, 'garden');
    const scans = await eventScans(
      database,
      lexicalSearchSql({ namespace: DEFAULT_NAMESPACE, filters: {}, limit: 10, offset: 0, lexical: lexical! }),
    );
    const probes = scans.filter((scan) => scan.loops > 1);
    expect(probes.length).toBeGreaterThan(0);
    // The looped scans are the probes (one loop per re-ranked row) and the final row fetches.
    for (const probe of probes) expect(probe.rowsPerLoop).toBeLessThanOrEqual(CONTEXT.neighbors + 1);
  });

  it('a page of the newest events reads about a page of rows', async () => {
    const scans = await eventScans(database, listEventsSql(DEFAULT_NAMESPACE, {}, { limit: 20, offset: 0 }));
    const read = scans.reduce((sum, scan) => sum + scan.rowsPerLoop * scan.loops, 0);
    expect(read).toBeLessThan(count / 4);
  });
});

/**
 * A store spread over a year of monthly partitions, with a small vocabulary so that a query has
 * hundreds of candidates: the context bonus must join the scored candidates once, not scan them
 * again for each re-ranked row (which a nested loop over the lateral neighbor probes did).
 */
describe(`query plans over a year of partitions (${engine})`, () => {
  let database: TestDb;

  beforeAll(async () => {
    database = await createMemoryTestDb();
    await database.db.execute(sql`insert into events (namespace, id, "timestamp", content, metadata)
      select ${DEFAULT_NAMESPACE}, gen_random_uuid(), now() - (random() * 360 || ' days')::interval,
             jsonb_build_object('text', (array['alpha','beta','gamma','delta','omega','sigma','kappa','theta'])[1 + i % 8] || ' '
               || (array['red','green','blue','amber','violet','cyan','white','black','grey','pink'])[1 + (i / 8) % 10]
               || case when i % 30 = 0 then ' harbour' else ' note' end),
             '{}'::jsonb
        from generate_series(1, 12000) as i`);
    await runPartitionMaintenance(database.db, { premakeMonths: 4, retentionMonths: null });
    await database.db.execute(sql`analyze`);
  }, 180_000);
  afterAll(async () => {
    await database.close();
  });

  it.each(['lexical', 'hybrid', 'hybrid rescoring'] as const)(
    '%s reads the scored candidates once, not once per re-ranked row or neighbor',
    async (mode) => {
      const lexical = await analyseLexicalQuery(database.db, DEFAULT_NAMESPACE, 'harbour');
      const page = { namespace: DEFAULT_NAMESPACE, filters: {}, limit: 10, offset: 0 };
      const vector = Array.from({ length: 768 }, (_, i) => (i === 0 ? 1 : 0));
      const plan = await executedPlan(
        database,
        mode === 'lexical'
          ? lexicalSearchSql({ ...page, lexical: lexical! })
          : hybridSearchSql({
              ...page,
              lexical: lexical!,
              vector,
              model: 'none',
              candidates: 40,
              fusion: defaultFusion('hash'),
              // Rescoring, gated by the count of candidates: the arm that runs reads them once too.
              vectorCandidates: mode === 'hybrid' ? { from: 'walk' } : { from: 'rescore', walkBelow: CONTEXT.rerank },
            }),
      );
      const candidateScans = plan.filter((node) => node['Node Type'] === 'CTE Scan' && node['CTE Name'] === 'lexical_scored');
      const candidates = Math.max(...candidateScans.map((node) => node['Actual Rows']));
      expect(candidates).toBeGreaterThan(CONTEXT.rerank);
      // Its readers (the best score, the ranked side, the context bonus, hybrid's final scores) each read it
      // once at most: none again per row. A reader may not run at all (a join whose other side comes back
      // empty never reads it): a CI run on PGlite saw 0 once, with these random timestamps.
      for (const scan of candidateScans) expect(scan['Actual Loops']).toBeLessThanOrEqual(1);
    },
  );

  it('computes each context bonus once, not once per re-ranked row', async () => {
    const lexical = await analyseLexicalQuery(database.db, DEFAULT_NAMESPACE, 'harbour');
    const plan = await executedPlan(
      database,
      lexicalSearchSql({ namespace: DEFAULT_NAMESPACE, filters: {}, limit: 10, offset: 0, lexical: lexical! }),
    );
    // The nodes that aggregate the neighbors' scores: those above the read of the neighbor list.
    const readsNeighbors = (node: PlanNode): boolean =>
      (node['Node Type'] === 'CTE Scan' && node['CTE Name'] === 'context_neighbors') || (node.Plans ?? []).some(readsNeighbors);
    const aggregates = plan.filter((node) => node['Node Type'] === 'Aggregate' && readsNeighbors(node));
    expect(aggregates.length).toBeGreaterThan(0);
    for (const aggregate of aggregates) expect(aggregate['Actual Loops']).toBe(1);
  });
});
