import { Writable } from 'node:stream';
import { createLogger } from '@mnemolite/common';
import { runPartitionMaintenance } from '@mnemolite/db';
import { createTestDb, type TestDb } from '@mnemolite/db/testing';
import type { Express } from 'express';
import { createApp, type AppDeps } from '../app';
import type { ApiFeature } from '../feature';
import { AppState } from '../lifecycle/app-state';
import { createMetrics } from '../metrics/metrics';

export interface TestApp {
  app: Express;
  database: TestDb;
  state: AppState;
  logs: string[];
  close(): Promise<void>;
}

export type TestAppOverrides = Partial<Omit<AppDeps, 'config' | 'features'>> & {
  config?: Partial<AppDeps['config']>;
  /** Feature modules, built on the test database. */
  features?: (database: TestDb) => ApiFeature[];
};

/** A ready app on a throwaway migrated database (PGlite, or the server in TEST_DATABASE_URL). */
export async function createTestApp(overrides: TestAppOverrides = {}): Promise<TestApp> {
  const database = await createTestDb();
  // As at start-up: partitions ready (and pg_partman registered where the server has it).
  await runPartitionMaintenance(database.db, { premakeMonths: 4, retentionMonths: null });
  const logs: string[] = [];
  const logger = createLogger(
    { level: 'info', name: 'api' },
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const state = new AppState(null);
  const app = createApp({
    logger,
    database,
    state,
    metrics: createMetrics(),
    ...overrides,
    config: { maxBodyBytes: 10 * 1024 * 1024, apiKey: undefined, ...overrides.config },
    features: overrides.features?.(database),
  });
  return { app, database, state, logs, close: () => database.close() };
}
