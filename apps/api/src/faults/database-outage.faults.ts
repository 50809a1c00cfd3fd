/**
 * Fault tests on the server engine: a PostgreSQL cluster of the test's own is restarted and stopped
 * under the real API and worker processes. They need PostgreSQL binaries (not a TEST_DATABASE_URL)
 * and run as their own target, `npx nx run api:test-faults` (`npm run test:faults`), which CI runs;
 * `npm test` (embedded engine, nothing installed) does not collect them, so they are never skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createDb, enqueueJob, getJob, type DbHandle } from '@mnemolite/db';
import { startApi, type LogLine, type StartedApi } from '../testing/api-process';
import { runFaultDrill, type FaultDrillResult } from '../testing/fault-drill';
import { PrivateCluster } from '../testing/private-cluster';

/** The promise: serving again within 2 s of the database being back. */
const RECOVERY_LIMIT_MS = 2000;

describe('database faults (a private PostgreSQL 15 cluster)', () => {
  let cluster: PrivateCluster;

  beforeAll(async () => {
    cluster = await PrivateCluster.start('faults-test');
  }, 120_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  describe('the API under concurrent reads and writes', () => {
    let api: StartedApi;
    let result: FaultDrillResult;

    beforeAll(async () => {
      api = await startApi({ DATABASE_URL: cluster.url, DB_POOL_MAX: '10' });
      result = await runFaultDrill({ apiUrl: api.url, cluster, connections: 8, stopMs: 3000, settleMs: 1500 });
    }, 180_000);
    afterAll(async () => {
      if (api?.child.exitCode === null) {
        api.child.kill('SIGTERM');
        await api.exited;
      }
    });

    it('stays up through pg_ctl restart -m fast and a stop/start', () => {
      expect(api.child.exitCode).toBeNull();
      expect(api.child.signalCode).toBeNull();
      expect(api.lines.filter((line) => line.level === 'fatal')).toEqual([]);
    });

    it('answers only 2xx or 503 unavailable with Retry-After, and some 503s during the outage', () => {
      expect(result.unexpected).toEqual([]);
      expect(result.withoutRetryAfter).toBe(0);
      expect(Object.keys(result.byStatus).sort()).toEqual(['200', '201', '503']);
      expect(result.byStatus['503']).toBeGreaterThan(0);
      expect(result.leakingBodies).toEqual([]);
    });

    it('loses no acknowledged write', () => {
      expect(result.acknowledgedWrites).toBeGreaterThan(50);
      expect(result.missingWrites).toEqual([]);
      expect(result.foundWrites).toBe(result.acknowledgedWrites);
    });

    it(`serves again within ${RECOVERY_LIMIT_MS} ms of the server accepting connections, by itself`, () => {
      expect(result.phases.map((phase) => phase.fault)).toEqual(['restart -m fast', 'stop, wait, start']);
      for (const phase of result.phases) {
        expect(phase.recoveryMs).not.toBeNull();
        expect(phase.recoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);
      }
      // The stop lasted 3 s: the outage the clients saw spans it.
      expect(result.phases[1].outageMs).toBeGreaterThanOrEqual(2500);
    });

    it('while stopped, /readiness is 503 and /health says degraded without internals; both recover', () => {
      expect(result.duringStop.readiness).toBe(503);
      expect(result.duringStop.health).toBe(503);
      const health = JSON.parse(result.duringStop.healthBody) as { status: string; database: { ok: boolean; error: string } };
      expect(health.status).toBe('degraded');
      expect(health.database).toMatchObject({ ok: false, error: 'the database cannot be reached' });
      expect(result.duringStop.healthBody).not.toMatch(/select|ECONNREFUSED|127\.0\.0\.1|terminating/i);
      expect(result.afterwards).toEqual({ readiness: 200, health: 200 });
    });

    it('logs the outage once and the recovery, with PostgreSQL codes and no request content', () => {
      const messages = api.lines.map((line) => line.msg);
      expect(messages).toContain('database unavailable; answering 503 until it is back');
      expect(messages).toContain('database available again');
      const logged = JSON.stringify(api.lines);
      expect(logged).not.toContain('fault drill write');
    });
  });

  it('at start, retries an unreachable database (readiness 503 meanwhile) and becomes ready when it is back', async () => {
    await cluster.stop();
    let url = '';
    const starting = startApi({ DATABASE_URL: cluster.url, DB_STARTUP_RETRY_SECONDS: '60' }, { onListening: (u) => (url = u) });
    try {
      await waitFor(() => url !== '', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const readiness = await fetch(`${url}/readiness`);
      expect(readiness.status).toBe(503);
      expect(((await readiness.json()) as { reason: string }).reason).toMatch(/^waiting for the database/);
      expect((await fetch(`${url}/v1/events/00000000-0000-4000-8000-000000000000`)).status).toBe(503);
    } finally {
      await cluster.start();
    }
    const api = await starting;
    try {
      expect(api.lines.some((line: LogLine) => line.msg === 'database unreachable at start; retrying')).toBe(true);
      expect((await fetch(`${api.url}/readiness`)).status).toBe(200);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  }, 120_000);

  describe('the worker', () => {
    let worker: ChildProcess;
    let lines: LogLine[];
    let db: DbHandle;

    beforeAll(async () => {
      ({ child: worker, lines } = await startWorker(cluster.url));
      db = await createDb({ engine: 'postgres', url: cluster.url, poolMax: 2 });
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      if (worker?.exitCode === null) {
        worker.kill('SIGTERM');
        await new Promise((resolve) => worker.once('exit', resolve));
      }
    });

    it('stays up through a restart and a stop/start, and runs jobs queued afterwards', async () => {
      await cluster.restart();
      await cluster.stop();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await cluster.start();
      const queued = Date.now();
      const id = await retry(() => enqueueJob(db.db, 'partition-maintenance', {}));
      await waitFor(async () => (await getJob(db.db, id))?.status === 'done', 20_000);
      expect(Date.now() - queued).toBeLessThan(10_000);
      expect(worker.exitCode).toBeNull();
      expect(lines.filter((line) => line.level === 'fatal')).toEqual([]);
      expect(lines.map((line) => line.msg)).toContain('database available again');
    }, 60_000);
  });
});

async function startWorker(databaseUrl: string): Promise<{ child: ChildProcess; lines: LogLine[] }> {
  const child: ChildProcess & { stdout: NodeJS.ReadableStream } = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, '..', '..', '..', 'worker', 'src', 'main.ts')],
    {
      env: {
        ...process.env,
        WORKER_ENABLED: 'true',
        DATABASE_URL: databaseUrl,
        EMBEDDING_MODE: 'hash',
        LOG_LEVEL: 'info',
        WORKER_POLL_INTERVAL_MS: '200',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: LogLine[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not started after 60 s: ${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as LogLine;
      lines.push(entry);
      if (entry.msg === 'worker started') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, lines };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The test's own pool meets the same restart: its first attempts may find dead connections. */
async function retry<T>(task: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
