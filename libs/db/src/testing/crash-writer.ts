/**
 * Test fixture: writes events into an embedded data directory as fast as it can and prints each id
 * once its insert has returned. The crash test kills this process with SIGKILL mid-write.
 * Usage: node --import tsx crash-writer.ts <dataDir>
 */
import { createDb } from '../client';
import { runMigrations } from '../migrate';
import { runPartitionMaintenance } from '../partitions';
import { events } from '../schema';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  const handle = await createDb({ engine: 'pglite', dataDir });
  await runMigrations(handle);
  await runPartitionMaintenance(handle.db, { premakeMonths: 1, retentionMonths: null });
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) {
    const id = crypto.randomUUID();
    await handle.db.insert(events).values({ id, content: { text: `crash test ${i}` }, metadata: {} });
    process.stdout.write(`${id}\n`);
  }
}

void main();
