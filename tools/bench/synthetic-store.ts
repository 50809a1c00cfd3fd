/**
 * Fills a migrated store with the synthetic events of `synthetic-events.ts` the way one restores a
 * backup: the batch path without the HNSW index, partition maintenance (back-dated rows into their
 * monthly partitions), then the index built in one pass per partition (far faster than N incremental
 * inserts; same name and definition as the migration) and ANALYZE. Shared by `bench:memory` and
 * `bench:search-ab`.
 */
import { sql } from 'drizzle-orm';
import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { runMigrations, runPartitionMaintenance, type DbHandle, type PartitionMaintenanceReport } from '@mnemolite/db';
import type { HashEmbedder } from '@mnemolite/embeddings';
import { EventsService } from '@mnemolite/memory';
import { progress } from './bench-database';
import type { Generator } from './synthetic-events';

const BATCH = 1000;

export interface FilledStore {
  loadSeconds: number;
  maintenanceSeconds: number;
  indexSeconds: number;
  maintenance: PartitionMaintenanceReport;
}

export async function fillSyntheticStore(handle: DbHandle, total: number, gen: Generator, embedder: HashEmbedder): Promise<FilledStore> {
  const { db } = handle;
  await runMigrations(handle);
  await runPartitionMaintenance(db, { premakeMonths: 4, retentionMonths: null });
  const events = new EventsService({ db, textEmbedder: embedder });

  await db.execute(sql`DROP INDEX IF EXISTS events_embedding_hnsw_idx`);
  const loadStarted = performance.now();
  const bar = progress('load (batch path)', total);
  for (let offset = 0; offset < total; offset += BATCH) {
    const size = Math.min(BATCH, total - offset);
    await events.createMany(
      DEFAULT_NAMESPACE,
      Array.from({ length: size }, (_, j) => gen.event(offset + j)),
    );
    bar.increment(size);
  }
  bar.stop();
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  process.stderr.write('partition maintenance (moving back-dated rows into monthly partitions)...\n');
  const maintenanceStarted = performance.now();
  const maintenance = await runPartitionMaintenance(db, { premakeMonths: 4, retentionMonths: null });
  const maintenanceSeconds = (performance.now() - maintenanceStarted) / 1000;

  process.stderr.write('building the HNSW index (per partition)...\n');
  const indexStarted = performance.now();
  if (handle.engine === 'postgres') await db.execute(sql`SET maintenance_work_mem = '1GB'`);
  await db.execute(sql`CREATE INDEX IF NOT EXISTS events_embedding_hnsw_idx ON events USING hnsw (embedding vector_cosine_ops)`);
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  await db.execute(sql`ANALYZE events`);
  return { loadSeconds, maintenanceSeconds, indexSeconds, maintenance };
}
