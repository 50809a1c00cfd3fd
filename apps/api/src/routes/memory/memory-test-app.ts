import type { TestDb } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import type { Express } from 'express';
import { createTestApp } from '../../testing/test-app';
import { createMemoryFeature } from './memory.feature';

export interface MemoryTestApp {
  app: Express;
  database: TestDb;
  embedder: HashEmbedder;
  /** What the feature's `workerAvailable` answers; tests flip it. */
  worker: { available: boolean };
  close(): Promise<void>;
}

/** The API with the memory feature on a throwaway database with partitions ready. */
export async function createMemoryTestApp(): Promise<MemoryTestApp> {
  const embedder = new HashEmbedder(768);
  const worker = { available: false };
  const { app, database, close } = await createTestApp({
    features: (database) => [
      createMemoryFeature({ db: database.db, textEmbedder: embedder, workerAvailable: async () => worker.available }),
    ],
  });
  return { app, database, embedder, worker, close };
}
