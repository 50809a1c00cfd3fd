import { Writable } from 'node:stream';
import { createLogger } from '@mnemolite/common';
import type { TestDb } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { createMemoryTestDb } from '@mnemolite/memory/testing';
import type { Express } from 'express';
import { createApp } from '../../app';
import { AppState } from '../../lifecycle/app-state';
import { createMetrics } from '../../metrics/metrics';
import { createMemoryFeature } from './memory.feature';

export interface MemoryTestApp {
  app: Express;
  database: TestDb;
  embedder: HashEmbedder;
  /** What the feature's `workerAvailable` answers; tests flip it. */
  worker: { available: boolean };
  close(): Promise<void>;
}

/**
 * The API with the memory feature on a throwaway database with partitions ready. (The shared
 * `createTestApp` opens its own database, which a feature built beforehand could not use.)
 */
export async function createMemoryTestApp(): Promise<MemoryTestApp> {
  const database = await createMemoryTestDb();
  const embedder = new HashEmbedder(768);
  const worker = { available: false };
  const logger = createLogger(
    { level: 'silent', name: 'api' },
    new Writable({ write: (_chunk, _encoding, done) => done() }),
  );
  const app = createApp({
    config: { maxBodyBytes: 10 * 1024 * 1024, apiKey: undefined },
    logger,
    database,
    state: new AppState(null),
    metrics: createMetrics(),
    features: [
      createMemoryFeature({ db: database.db, textEmbedder: embedder, workerAvailable: async () => worker.available }),
    ],
  });
  return { app, database, embedder, worker, close: () => database.close() };
}
