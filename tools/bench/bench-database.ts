/**
 * What the benchmarks share: a fresh database to measure on, a progress bar on stderr, numeric flags.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { createDb, type DbHandle } from '@mnemolite/db';
import { createScratchDatabase } from '@mnemolite/db/testing';

export interface BenchDatabase {
  handle: DbHandle;
  label: string;
  /**
   * Closes and opens the store again, as the API does at its next start: the embedded engine sizes its
   * page cache to the store when it starts (pglite-memory.ts), so a store filled by this process is
   * measured the way a user's API would serve it. A server keeps its connection pool.
   */
  reopen(): Promise<void>;
  drop(): Promise<void>;
}

export { createScratchDatabase };

/**
 * A fresh database: created on the server of `DATABASE_URL` (dropped by `drop()` unless `keep`; on a
 * Citus coordinator it joins the cluster, so the migrations distribute it), else embedded PGlite in a
 * temporary directory.
 */
export async function openBenchDatabase(keep: boolean): Promise<BenchDatabase> {
  const serverUrl = process.env['DATABASE_URL'];
  if (serverUrl) {
    const scratch = await createScratchDatabase(serverUrl, 'mnemolite_bench');
    const handle = await createDb({ engine: 'postgres', url: scratch.url, poolMax: 10 });
    return {
      handle,
      label: `${scratch.citus ? 'citus' : 'postgres'} (database ${scratch.name})`,
      reopen: async () => undefined,
      async drop() {
        await handle.close();
        if (!keep) await scratch.drop();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mnemolite-bench-'));
  const database: BenchDatabase = {
    handle: await createDb({ engine: 'pglite', dataDir: dir }),
    label: `pglite (${dir})`,
    async reopen() {
      await database.handle.close();
      database.handle = await createDb({ engine: 'pglite', dataDir: dir });
      process.stderr.write(`reopened the store: shared_buffers ${database.handle.sharedBuffersMb} MB\n`);
    },
    async drop() {
      await database.handle.close();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
  return database;
}

export function progress(label: string, total: number): SingleBar {
  const bar = new SingleBar(
    {
      format: `${label.padEnd(26)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: process.stderr,
      // Also when stderr is a file or a pipe (CI logs), every few seconds.
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

/** `--name <number>` from the command line, or `fallback`. */
export function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
