import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'drizzle-orm';
import { enqueueJob, getJob, queryRows, workerConnected } from '@mnemolite/db';
import { createTestDb } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { enqueueIngestEvent } from '@mnemolite/memory';

const MAIN = join(__dirname, 'main.ts');

function runWorker(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, LOG_LEVEL: 'info', EMBEDDING_MODE: 'hash', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: { msg: string }[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(JSON.parse(line)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, lines, exited, stderr: () => stderr };
}

describe('worker process', () => {
  it('is disabled by default: logs one line saying so and exits 0', async () => {
    const worker = runWorker({ WORKER_ENABLED: '' });
    expect(await worker.exited).toBe(0);
    expect(worker.lines).toHaveLength(1);
    expect(worker.lines[0].msg).toMatch(/worker disabled/);
  }, 60_000);

  it('refuses to run enabled without a database server', async () => {
    const worker = runWorker({ WORKER_ENABLED: 'true', DATABASE_URL: '' });
    expect(await worker.exited).toBe(2);
    expect(worker.stderr()).toMatch(/DATABASE_URL: required when WORKER_ENABLED=true/);
  }, 60_000);
});

// The worker needs a server (the embedded engine admits one process), so this suite exists only
// when the tests run against one.
if (process.env['TEST_DATABASE_URL']) {
  describe('worker process on PostgreSQL', () => {
    it('shows as connected, runs a job as soon as it is enqueued, and stops on SIGTERM', async () => {
      const database = await createTestDb();
      const worker = runWorker({
        WORKER_ENABLED: 'true',
        DATABASE_URL: await databaseUrlOf(database),
        WORKER_POLL_INTERVAL_MS: '60000',
      });
      try {
        for (let i = 0; i < 200 && !worker.lines.some((line) => line.msg === 'worker started'); i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(await workerConnected(database.db)).toBe(true);
        const id = await enqueueJob(database.db, 'partition-maintenance', {});
        let job = await getJob(database.db, id);
        // Polling is once a minute here, so only the LISTEN/NOTIFY wake-up can finish it this fast.
        for (let i = 0; i < 100 && job?.status !== 'done'; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          job = await getJob(database.db, id);
        }
        expect(job).toMatchObject({ status: 'done', result: expect.objectContaining({ strategy: 'pg_partman' }) });

        // An async event write (POST /v1/events?async=true) stored and embedded by the worker, in the
        // namespace of the request that queued it.
        const eventId = await enqueueIngestEvent({ db: database.db, textEmbedder: new HashEmbedder(768) }, 'team-a', {
          content: { text: 'remembered through the queue' },
          metadata: { via: 'worker' },
        });
        let stored: { namespace: string; embedding_model: string; metadata: unknown }[] = [];
        for (let i = 0; i < 100 && stored.length === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          stored = await queryRows(database.db, sql`select namespace, embedding_model, metadata from events where id = ${eventId}`);
        }
        expect(stored).toEqual([{ namespace: 'team-a', embedding_model: 'hash-v2-768', metadata: { via: 'worker' } }]);
      } finally {
        worker.child.kill('SIGTERM');
        expect(await worker.exited).toBe(0);
        await database.close();
      }
    }, 90_000);
  });
}

async function databaseUrlOf(database: Awaited<ReturnType<typeof createTestDb>>): Promise<string> {
  const [row] = await queryRows<{ name: string }>(database.db, sql`select current_database() as name`);
  const url = new URL(process.env['TEST_DATABASE_URL'] ?? '');
  url.pathname = `/${row.name}`;
  return url.toString();
}
