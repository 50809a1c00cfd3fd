import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'drizzle-orm';
import { createDb } from './client';
import { queryRows } from './database';

const WRITER = join(__dirname, 'testing', 'crash-writer.ts');

/** Starts the writer, collects the ids it reports as committed, and SIGKILLs it after `count`. */
function writeThenKill(dataDir: string, count: number): Promise<{ ids: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ids: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') return;
      ids.push(line);
      if (ids.length === count) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ ids, signal });
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('embedded engine crash safety (kill -9 mid-write)', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mnemolite-crash-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.lock`, { force: true });
  });

  it('reopens without hanging and keeps every row whose insert returned', async () => {
    const first = await writeThenKill(join(dataDir, 'pgdata'), 300);
    expect(first.signal).toBe('SIGKILL');
    // A second crash on top of the first recovery.
    const second = await writeThenKill(join(dataDir, 'pgdata'), 150);
    const committed = [...first.ids, ...second.ids];

    const started = Date.now();
    const handle = await createDb({ engine: 'pglite', dataDir: join(dataDir, 'pgdata') });
    try {
      const reopenMs = Date.now() - started;
      expect(reopenMs).toBeLessThan(30_000);
      const rows = await queryRows<{ id: string }>(handle.db, sql`select id::text as id from events`);
      const stored = new Set(rows.map((row) => row.id));
      const missing = committed.filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      expect(stored.size).toBeGreaterThanOrEqual(committed.length);
    } finally {
      await handle.close();
    }
  }, 120_000);
});
