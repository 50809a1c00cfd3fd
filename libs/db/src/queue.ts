import { and, eq, inArray, lt, lte, notInArray, sql } from 'drizzle-orm';
import { queryRows } from './database';
import type { DatabaseExecutor } from './executor';
import { jobs, type JobRow } from './schema/jobs';

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

/** Channel on which `enqueueJob` notifies listening workers, so they pick a job up without polling. */
export const JOBS_CHANNEL = 'mnemolite_jobs';

/** `application_name` of the worker's connections: how the API tells whether a worker is running. */
export const WORKER_APPLICATION_NAME = 'mnemolite-worker';

/** Adds a job to the durable queue and wakes listening workers; returns its id. */
export async function enqueueJob(
  db: DatabaseExecutor,
  kind: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<number> {
  // One statement: the notification is sent by the transaction that inserts the job.
  const inserted = db.$with('inserted').as(
    db
      .insert(jobs)
      // Without `runAt`, the column's default: the database's clock, as every other queue time uses.
      .values({ kind, payload, runAt: options.runAt, maxAttempts: options.maxAttempts })
      .returning({ id: jobs.id, kind: jobs.kind }),
  );
  const [row] = await db
    .with(inserted)
    .select({ id: inserted.id, notified: sql`pg_notify(${JOBS_CHANNEL}, ${inserted.kind})` })
    .from(inserted);
  return row.id;
}

/**
 * Claims up to `limit` due jobs for one worker. `FOR UPDATE SKIP LOCKED` lets any number of workers
 * poll the same table without ever handing one job to two of them.
 */
export async function claimJobs(db: DatabaseExecutor, workerId: string, limit: number, kinds?: string[]): Promise<ClaimedJob[]> {
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, 'queued'), lte(jobs.runAt, sql`now()`), kinds && kinds.length > 0 ? inArray(jobs.kind, kinds) : undefined))
    .orderBy(jobs.runAt, jobs.id)
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(jobs)
    .set({ status: 'running', lockedAt: sql`now()`, lockedBy: workerId, attempts: sql`${jobs.attempts} + 1`, updatedAt: sql`now()` })
    .where(inArray(jobs.id, due))
    .returning({ id: jobs.id, kind: jobs.kind, payload: jobs.payload, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts });
}

export async function completeJob(db: DatabaseExecutor, id: number, result: Record<string, unknown> = {}): Promise<void> {
  await db
    .update(jobs)
    .set({ status: 'done', result, lockedAt: null, lastError: null, updatedAt: sql`now()` })
    .where(eq(jobs.id, id));
}

/**
 * Records a failed attempt: the job is retried after an exponential backoff until it has used its
 * attempts, then it stays `failed` with the last error for a person to look at.
 */
export async function failJob(db: DatabaseExecutor, id: number, error: string, baseDelayMs = 1000): Promise<'queued' | 'failed'> {
  const [row] = await db
    .update(jobs)
    .set({
      status: sql`case when ${jobs.attempts} >= ${jobs.maxAttempts} then 'failed' else 'queued' end`,
      runAt: sql`now() + (${baseDelayMs}::double precision * power(2, ${jobs.attempts} - 1)) * interval '1 millisecond'`,
      lastError: error.slice(0, 4000),
      lockedAt: null,
      updatedAt: sql`now()`,
    })
    .where(eq(jobs.id, id))
    .returning({ status: jobs.status });
  return row?.status === 'queued' ? 'queued' : 'failed';
}

/**
 * Puts back the jobs one worker holds as `running` but is not running any more (the database went
 * away before their outcome could be recorded); returns how many. Their attempt stays counted.
 */
export async function releaseJobs(db: DatabaseExecutor, workerId: string, stillRunning: number[]): Promise<number> {
  const released = await db
    .update(jobs)
    .set({ status: 'queued', lockedAt: null, lockedBy: null, updatedAt: sql`now()` })
    .where(and(eq(jobs.status, 'running'), eq(jobs.lockedBy, workerId), notInArray(jobs.id, stillRunning)))
    .returning({ id: jobs.id });
  return released.length;
}

/** Puts back jobs whose worker died mid-run (locked longer than `staleAfterMs`); returns how many. */
export async function requeueStaleJobs(db: DatabaseExecutor, staleAfterMs: number): Promise<number> {
  const requeued = await db
    .update(jobs)
    .set({ status: 'queued', lockedAt: null, lockedBy: null, updatedAt: sql`now()` })
    .where(and(eq(jobs.status, 'running'), lt(jobs.lockedAt, sql`now() - ${staleAfterMs}::double precision * interval '1 millisecond'`)))
    .returning({ id: jobs.id });
  return requeued.length;
}

export async function getJob(db: DatabaseExecutor, id: number): Promise<JobRow | null> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row ?? null;
}

/**
 * Whether a worker is connected to this database now (its connections carry
 * `WORKER_APPLICATION_NAME`). Always false on the embedded engine, which no other process can open.
 */
export async function workerConnected(db: DatabaseExecutor): Promise<boolean> {
  const [row] = await queryRows<{ connected: boolean }>(
    db,
    sql`select exists (select 1 from pg_stat_activity
                        where application_name = ${WORKER_APPLICATION_NAME} and datname = current_database()) as connected`,
  );
  return Boolean(row?.connected);
}
