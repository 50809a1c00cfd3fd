import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { PGLITE_SHARED_BUFFERS_MB } from '@mnemolite/common';
import { createDb } from './client';
import { queryRows } from './database';
import { databaseFilesBytes, resolvePgliteSharedBuffersMb } from './pglite-memory';

const MB = 1024 * 1024;

describe("the embedded engine's page cache (shared_buffers)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mnemolite-buffers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A data directory whose database files add up to `mb` (sparse files: the size is what counts). */
  function storeOf(mb: number): void {
    mkdirSync(join(dir, 'base', '5'), { recursive: true });
    writeFileSync(join(dir, 'base', '5', '16384'), '');
    truncateSync(join(dir, 'base', '5', '16384'), Math.floor(mb * MB * 0.75));
    writeFileSync(join(dir, 'base', '5', '16385'), '');
    truncateSync(join(dir, 'base', '5', '16385'), Math.ceil(mb * MB * 0.25));
    // Outside base/: the WAL is not the store.
    mkdirSync(join(dir, 'pg_wal'), { recursive: true });
    writeFileSync(join(dir, 'pg_wal', '000000010000000000000001'), '');
    truncateSync(join(dir, 'pg_wal', '000000010000000000000001'), 900 * MB);
  }

  it('auto: the database files at start, rounded up to 64 MB, at least 128 and at most 1024', () => {
    expect(resolvePgliteSharedBuffersMb(dir, 'auto')).toBe(PGLITE_SHARED_BUFFERS_MB.min);
    storeOf(300);
    expect(databaseFilesBytes(dir)).toBe(300 * MB);
    expect(resolvePgliteSharedBuffersMb(dir, 'auto')).toBe(320);
    expect(resolvePgliteSharedBuffersMb(dir)).toBe(320);
    storeOf(1400);
    expect(resolvePgliteSharedBuffersMb(dir, 'auto')).toBe(PGLITE_SHARED_BUFFERS_MB.autoMax);
    expect(resolvePgliteSharedBuffersMb(join(dir, 'not-made-yet'), 'auto')).toBe(PGLITE_SHARED_BUFFERS_MB.min);
    expect(resolvePgliteSharedBuffersMb('memory://', 'auto')).toBe(PGLITE_SHARED_BUFFERS_MB.min);
  });

  it('a number is taken as it is, whatever the store', () => {
    storeOf(1400);
    expect(resolvePgliteSharedBuffersMb(dir, 200)).toBe(200);
  });

  it('starts the engine with it, and the handle says what it started with', async () => {
    const handle = await createDb({ engine: 'pglite', dataDir: join(dir, 'pgdata'), sharedBuffersMb: 48 });
    try {
      expect(handle.sharedBuffersMb).toBe(48);
      expect(await queryRows(handle.db, sql`select current_setting('shared_buffers') as value`)).toEqual([{ value: '48MB' }]);
    } finally {
      await handle.close();
    }
    const reopened = await createDb({ engine: 'pglite', dataDir: join(dir, 'pgdata') });
    try {
      // A fresh store is far under 128 MB: auto gives the least.
      expect(reopened.sharedBuffersMb).toBe(PGLITE_SHARED_BUFFERS_MB.min);
      expect(await queryRows(reopened.db, sql`select current_setting('shared_buffers') as value`)).toEqual([{ value: '128MB' }]);
    } finally {
      await reopened.close();
    }
  });
});
