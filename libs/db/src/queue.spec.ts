import { sql } from 'drizzle-orm';
import { queryRows } from './database';
import { createTestDb, testEngineName, type TestDb } from './testing';
import { Client } from 'pg';
import { claimJobs, completeJob, enqueueJob, failJob, getJob, requeueStaleJobs, WORKER_APPLICATION_NAME, workerConnected } from './queue';

describe(`job queue (${testEngineName()})`, () => {
  let handle: TestDb;

  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('hands each due job to one claimer, oldest first, and records completion', async () => {
    const first = await enqueueJob(handle.db, 'embed-event', { id: 'a' });
    const second = await enqueueJob(handle.db, 'embed-event', { id: 'b' });
    await enqueueJob(handle.db, 'embed-event', { id: 'later' }, { runAt: new Date(Date.now() + 3_600_000) });

    const claimed = await claimJobs(handle.db, 'w1', 10);
    expect(claimed.map((job) => job.id)).toEqual([first, second]);
    expect(claimed[0]).toMatchObject({ kind: 'embed-event', payload: { id: 'a' }, attempts: 1 });
    expect(await claimJobs(handle.db, 'w2', 10)).toEqual([]);

    await completeJob(handle.db, first, { stored: true });
    expect(await getJob(handle.db, first)).toMatchObject({ status: 'done', result: { stored: true } });
  });

  it("stamps a job's run time with the database's clock, not the API's", async () => {
    // Inside one transaction now() is fixed: the stamp must be exactly it (a Node Date would differ
    // by the time since the transaction began, and in sub-millisecond precision).
    const { stamped, databaseNow } = await handle.db.transaction(async (tx) => {
      const [{ now }] = await queryRows<{ now: string }>(tx, sql`select now()::text as now`);
      const id = await enqueueJob(tx, 'clock', {});
      const [{ run_at }] = await queryRows<{ run_at: string }>(tx, sql`select run_at::text as run_at from jobs where id = ${id}`);
      return { stamped: run_at, databaseNow: now };
    });
    expect(stamped).toBe(databaseNow);
  });

  it('retries a failed job with backoff, then gives up after max attempts', async () => {
    const id = await enqueueJob(handle.db, 'flaky', {}, { maxAttempts: 2 });
    const [job] = await claimJobs(handle.db, 'w1', 1, ['flaky']);
    expect(await failJob(handle.db, job.id, 'boom', 0)).toBe('queued');
    const [again] = await claimJobs(handle.db, 'w1', 1, ['flaky']);
    expect(again.attempts).toBe(2);
    expect(await failJob(handle.db, again.id, 'boom twice', 0)).toBe('failed');
    expect(await getJob(handle.db, id)).toMatchObject({ status: 'failed', lastError: 'boom twice', attempts: 2 });
  });

  it('sees a worker only while one is connected', async () => {
    expect(await workerConnected(handle.db)).toBe(false);
    const serverUrl = process.env['TEST_DATABASE_URL'];
    if (!serverUrl) return; // the embedded engine admits no other process, so never a worker
    const [row] = await queryRows<{ name: string }>(handle.db, sql`select current_database() as name`);
    const url = new URL(serverUrl);
    url.pathname = `/${row.name}`;
    const worker = new Client({ connectionString: url.toString(), application_name: WORKER_APPLICATION_NAME });
    await worker.connect();
    try {
      expect(await workerConnected(handle.db)).toBe(true);
    } finally {
      await worker.end();
    }
    expect(await workerConnected(handle.db)).toBe(false);
  });

  it('requeues jobs whose worker died', async () => {
    await enqueueJob(handle.db, 'orphan', {});
    const [job] = await claimJobs(handle.db, 'dead-worker', 1, ['orphan']);
    expect(await requeueStaleJobs(handle.db, 60_000)).toBe(0);
    expect(await requeueStaleJobs(handle.db, -1)).toBeGreaterThanOrEqual(1);
    expect(await getJob(handle.db, job.id)).toMatchObject({ status: 'queued', lockedBy: null });
  });
});
