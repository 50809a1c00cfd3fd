import { Writable } from 'node:stream';
import { createLogger } from '@mnemolite/common';
import { enqueueJob, getJob, type Database } from '@mnemolite/db';
import { createTestDb, testEngineName, type TestDb } from '@mnemolite/db/testing';
import { JobRunner, type JobHandler } from './job-runner';

const silent = createLogger({ level: 'silent', name: 'worker' }, new Writable({ write: (_c, _e, done) => done() }));

describe(`JobRunner (${testEngineName()})`, () => {
  let handle: TestDb;

  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('runs each job with the handler for its kind and stores the result', async () => {
    const seen: unknown[] = [];
    const handlers = new Map<string, JobHandler>([
      [
        'echo',
        async (payload) => {
          seen.push(payload);
          return { echoed: payload['n'] };
        },
      ],
    ]);
    const runner = new JobRunner(handle.db, handlers, { workerId: 't', concurrency: 5, pollIntervalMs: 50, staleJobMs: 60_000 }, silent);
    const ids = [await enqueueJob(handle.db, 'echo', { n: 1 }), await enqueueJob(handle.db, 'echo', { n: 2 })];
    expect(await runner.runOnce()).toBe(2);
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await getJob(handle.db, ids[1])).toMatchObject({ status: 'done', result: { echoed: 2 } });
  });

  it('fails jobs of unknown kinds with a clear error', async () => {
    const runner = new JobRunner(handle.db, new Map(), { workerId: 't', concurrency: 1, pollIntervalMs: 50, staleJobMs: 60_000 }, silent);
    const id = await enqueueJob(handle.db, 'mystery', {}, { maxAttempts: 1 });
    await runner.runOnce();
    expect(await getJob(handle.db, id)).toMatchObject({ status: 'failed', lastError: 'No handler for job kind "mystery"' });
  });

  it('polls in the background until stopped', async () => {
    let calls = 0;
    const runner = new JobRunner(
      handle.db,
      new Map<string, JobHandler>([['count', async () => void calls++]]),
      { workerId: 't', concurrency: 1, pollIntervalMs: 20, staleJobMs: 60_000 },
      silent,
    );
    runner.start();
    const id = await enqueueJob(handle.db, 'count', {});
    for (let i = 0; i < 100 && (await getJob(handle.db, id))?.status !== 'done'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await runner.stop();
    expect(calls).toBe(1);
    expect((await getJob(handle.db, id))?.status).toBe('done');
  });

  it('when the database goes away mid-job, puts the job back once it is reachable and runs it again', async () => {
    let broken = false;
    // The runner's view of the database: every statement fails as on a dead connection while `broken`.
    // Drizzle runs every statement (query builder, raw SQL, transaction) through the database's session.
    const deadSession = new Proxy(Object.create(null) as object, {
      get: () => () => {
        throw new Error('Connection terminated unexpectedly');
      },
    });
    const db = new Proxy(handle.db, {
      get(target, property, receiver) {
        if (property === 'session' && broken) return deadSession;
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(receiver) : value;
      },
    }) as Database;
    let runs = 0;
    const handlers = new Map<string, JobHandler>([
      [
        'fragile',
        async () => {
          runs++;
          if (runs === 1) broken = true;
          return { runs };
        },
      ],
    ]);
    const runner = new JobRunner(
      db,
      handlers,
      { workerId: 'fragile-worker', concurrency: 1, pollIntervalMs: 50, staleJobMs: 60_000 },
      silent,
    );
    const id = await enqueueJob(handle.db, 'fragile', {});
    expect(await runner.runOnce()).toBe(1);
    expect(await getJob(handle.db, id)).toMatchObject({ status: 'running', lockedBy: 'fragile-worker' });

    broken = false;
    // The next poll releases the job whose outcome was lost, claims it again and runs it.
    expect(await runner.runOnce()).toBe(1);
    expect(runs).toBe(2);
    expect(await getJob(handle.db, id)).toMatchObject({ status: 'done', attempts: 2, result: { runs: 2 } });
  });

  it('does not poll while the database is unavailable', async () => {
    let available = false;
    let ran = 0;
    const runner = new JobRunner(
      handle.db,
      new Map<string, JobHandler>([['waiting', async () => void ran++]]),
      { workerId: 't', concurrency: 1, pollIntervalMs: 20, staleJobMs: 60_000, isAvailable: () => available },
      silent,
    );
    const id = await enqueueJob(handle.db, 'waiting', {});
    runner.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).toBe(0);
    expect((await getJob(handle.db, id))?.status).toBe('queued');
    available = true;
    for (let i = 0; i < 100 && (await getJob(handle.db, id))?.status !== 'done'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await runner.stop();
    expect(ran).toBe(1);
  });
});
