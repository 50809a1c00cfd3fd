import { sql } from 'drizzle-orm';
import { queryRows, type Database } from './database';
import type { JobRow } from './schema/jobs';

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
  db: Database,
  kind: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<number> {
  const [row] = await queryRows<{ id: string | number }>(
    db,
    sql`with inserted as (
          insert into jobs (kind, payload, run_at, max_attempts)
          values (${kind}, ${JSON.stringify(payload)}::jsonb, ${(options.runAt ?? new Date()).toISOString()}::timestamptz,
                  ${options.maxAttempts ?? 5})
          returning id, kind)
        select id, pg_notify(${JOBS_CHANNEL}, kind) from inserted`,
  );
  return Number(row.id);
}

/**
 * Claims up to `limit` due jobs for one worker. `FOR UPDATE SKIP LOCKED` lets any number of workers
 * poll the same table without ever handing one job to two of them.
 */
export async function claimJobs(db: Database, workerId: string, limit: number, kinds?: string[]): Promise<ClaimedJob[]> {
  const kindFilter = kinds && kinds.length > 0 ? sql`and kind in ${kinds}` : sql``;
  const rows = await queryRows<{
    id: string | number;
    kind: string;
    payload: Record<string, unknown>;
    attempts: number;
    max_attempts: number;
  }>(
    db,
    sql`update jobs set status = 'running', locked_at = now(), locked_by = ${workerId},
               attempts = attempts + 1, updated_at = now()
         where id in (select id from jobs
                       where status = 'queued' and run_at <= now() ${kindFilter}
                       order by run_at, id
                       limit ${limit}
                       for update skip locked)
        returning id, kind, payload, attempts, max_attempts`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    payload: row.payload,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
  }));
}

export async function completeJob(db: Database, id: number, result: Record<string, unknown> = {}): Promise<void> {
  await db.execute(sql`update jobs set status = 'done', result = ${JSON.stringify(result)}::jsonb,
      locked_at = null, last_error = null, updated_at = now() where id = ${id}`);
}

/**
 * Records a failed attempt: the job is retried after an exponential backoff until it has used its
 * attempts, then it stays `failed` with the last error for a person to look at.
 */
export async function failJob(db: Database, id: number, error: string, baseDelayMs = 1000): Promise<'queued' | 'failed'> {
  const [row] = await queryRows<{ status: 'queued' | 'failed' }>(
    db,
    sql`update jobs set
          status = case when attempts >= max_attempts then 'failed' else 'queued' end,
          run_at = now() + (${baseDelayMs}::double precision * power(2, attempts - 1)) * interval '1 millisecond',
          last_error = ${error.slice(0, 4000)}, locked_at = null, updated_at = now()
        where id = ${id}
        returning status`,
  );
  return row?.status ?? 'failed';
}

/**
 * Puts back the jobs one worker holds as `running` but is not running any more (the database went
 * away before their outcome could be recorded); returns how many. Their attempt stays counted.
 */
export async function releaseJobs(db: Database, workerId: string, stillRunning: number[]): Promise<number> {
  const keep = stillRunning.length > 0 ? sql`and id not in ${stillRunning}` : sql``;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update jobs set status = 'queued', locked_at = null, locked_by = null, updated_at = now()
         where status = 'running' and locked_by = ${workerId} ${keep}
        returning id`,
  );
  return rows.length;
}

/** Puts back jobs whose worker died mid-run (locked longer than `staleAfterMs`); returns how many. */
export async function requeueStaleJobs(db: Database, staleAfterMs: number): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update jobs set status = 'queued', locked_at = null, locked_by = null, updated_at = now()
         where status = 'running' and locked_at < now() - ${staleAfterMs}::double precision * interval '1 millisecond'
        returning id`,
  );
  return rows.length;
}

export async function getJob(db: Database, id: number): Promise<JobRow | null> {
  const [row] = await queryRows<Record<string, unknown>>(db, sql`select * from jobs where id = ${id}`);
  if (!row) return null;
  return {
    id: Number(row['id']),
    kind: row['kind'] as string,
    payload: row['payload'] as Record<string, unknown>,
    status: row['status'] as JobRow['status'],
    attempts: row['attempts'] as number,
    maxAttempts: row['max_attempts'] as number,
    runAt: new Date(row['run_at'] as string),
    lockedAt: row['locked_at'] ? new Date(row['locked_at'] as string) : null,
    lockedBy: (row['locked_by'] as string | null) ?? null,
    lastError: (row['last_error'] as string | null) ?? null,
    result: (row['result'] as Record<string, unknown> | null) ?? null,
    createdAt: new Date(row['created_at'] as string),
    updatedAt: new Date(row['updated_at'] as string),
  };
}

/**
 * Whether a worker is connected to this database now (its connections carry
 * `WORKER_APPLICATION_NAME`). Always false on the embedded engine, which no other process can open.
 */
export async function workerConnected(db: Database): Promise<boolean> {
  const [row] = await queryRows<{ connected: boolean }>(
    db,
    sql`select exists (select 1 from pg_stat_activity
                        where application_name = ${WORKER_APPLICATION_NAME} and datname = current_database()) as connected`,
  );
  return Boolean(row?.connected);
}
