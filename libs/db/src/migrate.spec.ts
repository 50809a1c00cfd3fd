import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createTestDb, testEngineName, type TestDb } from './testing';
import { queryRows } from './database';
import { resolveMigrationsDir, runMigrations } from './migrate';

describe(`migrations (${testEngineName()})`, () => {
  let handle: TestDb;

  beforeAll(async () => {
    handle = await createTestDb({ migrate: false });
  });
  afterAll(async () => {
    await handle.close();
  });

  it('creates every table with the extensions, and is idempotent', async () => {
    const first = await runMigrations(handle);
    expect(first.applied).toBe(first.total);
    expect(first.total).toBeGreaterThanOrEqual(2);

    const second = await runMigrations(handle);
    expect(second).toEqual({ applied: 0, total: first.total });

    const tables = await queryRows<{ name: string }>(
      handle.db,
      sql`select tablename as name from pg_tables where schemaname = current_schema() order by 1`,
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['code_chunks', 'code_files', 'edges', 'jobs', 'nodes']),
    );
    const extensions = await queryRows<{ extname: string }>(handle.db, sql`select extname from pg_extension`);
    expect(extensions.map((e) => e.extname)).toEqual(expect.arrayContaining(['vector', 'pg_trgm']));
  });

  it('partitions events by range on timestamp and keeps vectors inline', async () => {
    const [events] = await queryRows<{ strategy: string; storage: string }>(
      handle.db,
      sql`select p.partstrat as strategy, a.attstorage as storage
            from pg_partitioned_table p
            join pg_attribute a on a.attrelid = p.partrelid and a.attname = 'embedding'
           where p.partrelid = to_regclass('events')`,
    );
    expect(events).toEqual({ strategy: 'r', storage: 'p' });
  });

  it('indexes vectors with HNSW (cosine), metadata with jsonb_path_ops and names with trigrams', async () => {
    const indexes = await queryRows<{ name: string; definition: string }>(
      handle.db,
      sql`select indexname as name, indexdef as definition from pg_indexes where schemaname = current_schema()`,
    );
    const byName = new Map(indexes.map((i) => [i.name, i.definition]));
    expect(byName.get('events_embedding_hnsw_idx')).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    expect(byName.get('code_chunks_embedding_code_hnsw_idx')).toMatch(/USING hnsw/);
    expect(byName.get('events_metadata_idx')).toMatch(/USING gin \(metadata jsonb_path_ops\)/);
    expect(byName.get('code_chunks_name_trgm_idx')).toMatch(/gin_trgm_ops/);
    // Trigram indexes stay off bodies: they cost seconds per query at 100k rows.
    expect([...byName.values()].some((d) => /\(source gin_trgm_ops\)/.test(d))).toBe(false);
  });
});

describe('resolveMigrationsDir', () => {
  const own = resolveMigrationsDir();

  it("takes the app's MNEMO_MIGRATIONS_DIR when it holds migrations, else finds them beside the code", () => {
    const copy = mkdtempSync(join(tmpdir(), 'mnemolite-migrations-'));
    try {
      cpSync(own, copy, { recursive: true });
      expect(resolveMigrationsDir(copy)).toBe(copy);
      expect(resolveMigrationsDir(join(copy, 'missing'))).toBe(own);
      expect(resolveMigrationsDir(undefined)).toBe(own);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
