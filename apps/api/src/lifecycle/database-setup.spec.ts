import { sql } from 'drizzle-orm';
import { createLogger } from '@mnemolite/common';
import { queryRows, runPartitionMaintenance } from '@mnemolite/db';
import { createTestDb, testEngineName, type TestDb } from '@mnemolite/db/testing';
import { schedulePlannerStatistics } from './database-setup';

const engine = testEngineName();

describe(`planner statistics schedule (${engine})`, () => {
  let handle: TestDb;

  beforeAll(async () => {
    handle = await createTestDb();
    await runPartitionMaintenance(handle.db, { premakeMonths: 1, retentionMonths: null });
  });
  afterAll(async () => {
    await handle.close();
  });

  const analysedPartitions = async (): Promise<number> => {
    const [row] = await queryRows<{ analysed: number }>(
      handle.db,
      sql`select count(*)::int as analysed from pg_stat_user_tables where relname like 'events_p%' and last_analyze is not null`,
    );
    return row.analysed;
  };

  it(
    engine === 'pglite'
      ? 'analyses the embedded engine’s changed tables on its timer (it has no autovacuum)'
      : 'does nothing on a server, which has autovacuum',
    async () => {
      await handle.db.execute(sql`insert into events (namespace, id, "timestamp", content, metadata)
        select 'default', gen_random_uuid(), now(), jsonb_build_object('text', 'row ' || i), '{}'::jsonb from generate_series(1, 300) as i`);
      const stop = schedulePlannerStatistics(handle, createLogger({ level: 'silent', name: 'api' }), 50);
      try {
        if (engine === 'pglite') {
          const deadline = Date.now() + 10_000;
          while ((await analysedPartitions()) === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
          expect(await analysedPartitions()).toBeGreaterThan(0);
        } else {
          await new Promise((done) => setTimeout(done, 500));
          expect(await analysedPartitions()).toBe(0);
        }
      } finally {
        stop();
      }
    },
  );
});
