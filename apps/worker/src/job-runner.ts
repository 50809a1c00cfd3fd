import { summarizeError, type Logger } from '@mnemolite/common';
import {
  claimJobs,
  completeJob,
  failJob,
  isConnectionError,
  releaseJobs,
  requeueStaleJobs,
  type ClaimedJob,
  type Database,
} from '@mnemolite/db';

/** What a job kind does with its payload; the returned object is stored as the job's result. */
export type JobHandler = (payload: Record<string, unknown>, job: ClaimedJob) => Promise<Record<string, unknown> | void>;

export interface JobRunnerOptions {
  workerId: string;
  concurrency: number;
  pollIntervalMs: number;
  staleJobMs: number;
  /** False while the database cannot be reached: the runner then waits instead of polling. */
  isAvailable?: () => boolean;
}

/** While the database is down, how often the runner looks whether it is back. */
const UNAVAILABLE_CHECK_MS = 250;

/**
 * Polls the queue and runs claimed jobs with the handler registered for their kind. A job whose kind
 * has no handler fails with a clear error rather than vanishing. `stop()` waits for running jobs.
 */
export class JobRunner {
  private running = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly active = new Set<number>();
  /** A job's outcome could not be written (connection lost): release it once the database is back. */
  private unrecorded = false;
  private outage = false;

  constructor(
    private readonly db: Database,
    private readonly handlers: ReadonlyMap<string, JobHandler>,
    private readonly options: JobRunnerOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Ends the idle wait at once (a job was just enqueued). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Claims and runs one batch; returns how many jobs it ran. */
  async runOnce(): Promise<number> {
    if (this.unrecorded) {
      const released = await releaseJobs(this.db, this.options.workerId, [...this.active]);
      this.unrecorded = false;
      if (released > 0) this.logger.warn({ released }, 'requeued jobs whose outcome was lost with the database connection');
    }
    const requeued = await requeueStaleJobs(this.db, this.options.staleJobMs);
    if (requeued > 0) this.logger.warn({ requeued }, 'requeued jobs left running by a dead worker');
    const jobs = await claimJobs(this.db, this.options.workerId, this.options.concurrency);
    await Promise.all(jobs.map((job) => this.execute(job)));
    return jobs.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.options.isAvailable && !this.options.isAvailable()) {
        await this.sleep(Math.min(UNAVAILABLE_CHECK_MS, this.options.pollIntervalMs));
        continue;
      }
      let ran = 0;
      try {
        ran = await this.runOnce();
        if (this.outage) this.logger.info('polling the job queue again');
        this.outage = false;
      } catch (error) {
        if (!isConnectionError(error)) this.logger.error({ err: error }, 'polling the job queue failed');
        else if (!this.outage) this.logger.warn({ err: error }, 'database unavailable; the queue waits until it is back');
        this.outage = isConnectionError(error);
      }
      if (ran === 0 && this.running) await this.sleep(this.outage ? UNAVAILABLE_CHECK_MS : this.options.pollIntervalMs);
    }
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const log = this.logger.child({ job_id: job.id, kind: job.kind, attempt: job.attempts });
    const handler = this.handlers.get(job.kind);
    const started = Date.now();
    this.active.add(job.id);
    try {
      if (!handler) throw new Error(`No handler for job kind "${job.kind}"`);
      const result = (await handler(job.payload, job)) ?? {};
      await completeJob(this.db, job.id, result);
      log.info({ took_ms: Date.now() - started }, 'job done');
    } catch (error) {
      await this.recordFailure(job, error, log);
    } finally {
      this.active.delete(job.id);
    }
  }

  private async recordFailure(job: ClaimedJob, error: unknown, log: Logger): Promise<void> {
    try {
      // Stored on the job for people to read: PostgreSQL's own report, never the statement's parameters.
      const summary = summarizeError(error);
      const message = summary.pg ? `${summary.pg.message} (SQLSTATE ${summary.pg.code})` : summary.message;
      const status = await failJob(this.db, job.id, message);
      log.error({ err: error, status }, status === 'failed' ? 'job failed for good' : 'job failed; will retry');
    } catch (recordError) {
      if (!isConnectionError(recordError)) throw recordError;
      this.unrecorded = true;
      log.warn({ err: error }, 'database unavailable; the job is requeued once it is back');
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
