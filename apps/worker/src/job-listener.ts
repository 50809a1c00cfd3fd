import type { Logger } from '@mnemolite/common';
import { JOBS_CHANNEL, WORKER_APPLICATION_NAME } from '@mnemolite/db';
import { Client } from 'pg';

const MAX_RETRY_MS = 2_000;

/**
 * One long-lived connection that LISTENs for new jobs (so they start without waiting for the next
 * poll) and, by staying open under the worker's application name, tells the API a worker is
 * running. It reconnects with backoff when the connection drops.
 */
export class JobListener {
  private client: Client | undefined;
  private stopped = false;
  private retryMs = 500;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly onJob: () => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: WORKER_APPLICATION_NAME });
    client.on('notification', () => this.onJob());
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'job listener connection lost; reconnecting');
      this.reconnect(client);
    });
    await client.connect();
    await client.query(`LISTEN ${JOBS_CHANNEL}`);
    this.client = client;
    this.retryMs = 500;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => undefined);
  }

  private reconnect(failed: Client): void {
    if (this.client === failed) this.client = undefined;
    void failed.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.start().catch((error: unknown) => {
        this.logger.warn({ err: error, retry_ms: this.retryMs }, 'job listener reconnect failed');
        // Capped low: the API tells from this connection whether a worker runs, so it must come back fast.
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
        this.scheduleReconnect();
      });
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
