/**
 * Test fixture: writes events into an embedded data directory as fast as it can and prints each id
 * once its insert has returned. The crash test kills this process with SIGKILL mid-write.
 * Usage: node --import tsx crash-writer.ts <dataDir>
 */
import { sql } from 'drizzle-orm';
import { createDb } from '../client';
import { runMigrations } from '../migrate';
import { runPartitionMaintenance } from '../partitions';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  const handle = await createDb({ engine: 'pglite', dataDir });
  await runMigrations(handle);
  await runPartitionMaintenance(handle.db, { premakeMonths: 1, retentionMonths: null });
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) {
    const id = crypto.randomUUID();
    await handle.db.execute(
      sql`insert into events (id, content, metadata) values (${id}, ${JSON.stringify({ text: `crash test ${i}` })}::jsonb, '{}'::jsonb)`,
    );
    process.stdout.write(`${id}\n`);
  }
}

void main();
