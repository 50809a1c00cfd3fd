import { sql } from 'drizzle-orm';
import { queryRows, workerConnected, type DbHandle } from '@mnemolite/db';
import type { MetricsWindow } from './metrics-window';
import { storedRows } from './database-metrics';

/**
 * Samples what no request measures, into the metrics window: database round-trip latency, rows
 * stored (events, chunks) and, while a worker is connected, the queue depth. A failed sample is
 * skipped (the database may be down; /health says so), never thrown.
 */
export async function sampleDatabase(
  window: MetricsWindow,
  database: DbHandle,
  isWorkerConnected: () => Promise<boolean> = () => workerConnected(database.db),
): Promise<void> {
  window.markSampled();
  try {
    const started = performance.now();
    await queryRows(database.db, sql`select 1`);
    window.observe('database', 'round trip', (performance.now() - started) / 1000);
    const rowsStarted = performance.now();
    const rows = await storedRows(database);
    window.observe('database', 'stored rows count', (performance.now() - rowsStarted) / 1000);
    for (const row of rows) window.gauge(row.table_name === 'events' ? 'events' : 'chunks', Number(row.rows));
    const connected = await isWorkerConnected();
    window.setWorkerConnected(connected);
    if (connected) {
      const [queue] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from jobs where status = 'queued'`);
      window.gauge('queue_depth', Number(queue.n));
    }
  } catch {
    window.observe('database', 'round trip', 0, true);
  }
}

/**
 * Samples now and every `intervalMs`, and whenever the window is read with older samples (so a
 * chart shows what was just stored); returns the stop function. The timer never keeps the process up.
 */
export function startMetricsSampler(window: MetricsWindow, database: DbHandle, intervalMs = 15_000): () => void {
  window.setSampler(() => sampleDatabase(window, database));
  void sampleDatabase(window, database);
  const timer = setInterval(() => void sampleDatabase(window, database), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
