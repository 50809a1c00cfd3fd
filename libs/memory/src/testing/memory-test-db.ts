import { runPartitionMaintenance } from '@mnemolite/db';
import { createTestDb, type TestDb } from '@mnemolite/db/testing';

/**
 * A throwaway migrated database with the monthly partitions of `events` ready (and the default
 * partition for other months), as the API has after start-up.
 */
export async function createMemoryTestDb(): Promise<TestDb> {
  const database = await createTestDb();
  await runPartitionMaintenance(database.db, { premakeMonths: 1, retentionMonths: null });
  return database;
}
