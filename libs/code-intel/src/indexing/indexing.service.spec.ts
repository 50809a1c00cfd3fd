import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows } from '@mnemolite/db';
import { createTestDb, testEngineName, type TestDb } from '@mnemolite/db/testing';
import { HashEmbedder } from '@mnemolite/embeddings';
import { TreeSitterRuntime } from '../parsing/tree-sitter-runtime';
import { FIXTURE_FILES } from '../testing/fixture-repository';
import { CodeGraphService } from '../graph/graph.service';
import { deleteFiles } from './index-writer';
import { CodeIndexingService } from './indexing.service';

/** The namespace these tests write and read (the isolation between namespaces has its own tests). */
const NS = DEFAULT_NAMESPACE;

describe(`CodeIndexingService (${testEngineName()})`, () => {
  let database: TestDb;
  let runtime: TreeSitterRuntime;
  let embedder: HashEmbedder;
  let indexer: CodeIndexingService;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    database = await createTestDb();
    runtime = new TreeSitterRuntime();
    embedder = new HashEmbedder(768);
    root = mkdtempSync(join(tmpdir(), 'indexer-root-'));
    outside = mkdtempSync(join(tmpdir(), 'indexer-outside-'));
    indexer = new CodeIndexingService({ db: database.db, runtime, textEmbedder: embedder, codeEmbedder: embedder, indexRoots: [root] });
  });

  afterAll(async () => {
    await runtime.close();
    await database.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  afterEach(() => jest.restoreAllMocks());

  const chunkIds = async (repository: string, path: string): Promise<string[]> =>
    (
      await queryRows<{ id: string }>(
        database.db,
        sql`SELECT id FROM code_chunks WHERE repository = ${repository} AND file_path = ${path} ORDER BY id`,
      )
    ).map((row) => row.id);

  describe('incremental re-indexing (acceptance 2)', () => {
    it('indexes, then does no parsing or embedding work for unchanged files', async () => {
      const first = await indexer.indexFiles(NS, { repository: 'inc' }, FIXTURE_FILES);
      expect(first).toMatchObject({ files_indexed: FIXTURE_FILES.length, files_unchanged: 0, files_failed: 0 });
      expect(first.chunks).toBeGreaterThan(15);

      const parse = jest.spyOn(runtime, 'parse');
      const embed = jest.spyOn(embedder, 'embed');
      const again = await indexer.indexFiles(NS, { repository: 'inc' }, FIXTURE_FILES);
      expect(again).toMatchObject({ files_indexed: 0, files_unchanged: FIXTURE_FILES.length, chunks: 0, nodes: 0, edges: 0, errors: [] });
      expect(parse).not.toHaveBeenCalled();
      expect(embed).not.toHaveBeenCalled();
    });

    it('re-indexes only the changed file, replacing its chunks, nodes and edges', async () => {
      const usersBefore = await chunkIds('inc', 'src/db/users.ts');
      const formatBefore = await chunkIds('inc', 'src/util/format.ts');
      const parse = jest.spyOn(runtime, 'parse');
      const changed = FIXTURE_FILES.map((file) =>
        file.path === 'src/util/format.ts'
          ? { ...file, content: 'export function formatOrder(order: { total: number }): string {\n  return String(order.total);\n}\n' }
          : file,
      );
      const report = await indexer.indexFiles(NS, { repository: 'inc' }, changed);
      expect(report).toMatchObject({ files_indexed: 1, files_unchanged: FIXTURE_FILES.length - 1 });
      expect(parse).toHaveBeenCalledTimes(1);
      expect(await chunkIds('inc', 'src/db/users.ts')).toEqual(usersBefore);
      const formatAfter = await chunkIds('inc', 'src/util/format.ts');
      expect(formatAfter).toHaveLength(1);
      expect(formatAfter.some((id) => formatBefore.includes(id))).toBe(false);

      const graph = new CodeGraphService({ db: database.db });
      await expect(graph.callers(NS, 'inc', 'formatMoney', 1)).rejects.toMatchObject({ status: 404 });
      // The caller in another file is linked to the new node of the changed file.
      expect((await graph.callers(NS, 'inc', 'formatOrder', 1)).nodes.map((node) => node.label)).toEqual(['placeOrder']);
      // `helper` now has one definition left: the unique-name rule resolves the call from audit.ts.
      expect((await graph.callees(NS, 'inc', 'audit', 1)).nodes.map((node) => node.label).sort()).toEqual(['helper', 'writeAuditLog']);
    });

    it('stores both embeddings with their model ids, or none when asked', async () => {
      const [withVectors] = await queryRows<{ t: string; c: string; has_t: boolean; has_c: boolean }>(
        database.db,
        sql`SELECT embedding_text_model AS t, embedding_code_model AS c, embedding_text IS NOT NULL AS has_t, embedding_code IS NOT NULL AS has_c
            FROM code_chunks WHERE repository = 'inc' AND name = 'getUserById'`,
      );
      expect(withVectors).toEqual({ t: embedder.modelId, c: embedder.modelId, has_t: true, has_c: true });
      await indexer.indexFiles(NS, { repository: 'plain', embeddings: false }, [FIXTURE_FILES[0]]);
      const [plain] = await queryRows<{ t: string | null; has_c: boolean }>(
        database.db,
        sql`SELECT embedding_text_model AS t, embedding_code IS NOT NULL AS has_c FROM code_chunks WHERE repository = 'plain' AND name = 'getUserById'`,
      );
      expect(plain).toEqual({ t: null, has_c: false });
    });
  });

  describe('deleting files', () => {
    it('deletes any number of paths at once (more than the protocol has parameters), and only those', async () => {
      await indexer.indexFiles(NS, { repository: 'many-deletes' }, FIXTURE_FILES);
      const [gone, ...kept] = FIXTURE_FILES.map((file) => file.path);
      const paths = [...Array.from({ length: 70_000 }, (_, index) => `never/indexed-${index}.ts`), gone];
      await database.db.transaction((tx) => deleteFiles(tx, NS, 'many-deletes', paths));
      const left = await queryRows<{ path: string }>(
        database.db,
        sql`select path from code_files where repository = 'many-deletes' order by path`,
      );
      expect(left.map((row) => row.path)).toEqual([...kept].sort());
      const nodesOfGone = await queryRows<{ count: number }>(
        database.db,
        sql`select count(*)::int as count from nodes where repository = 'many-deletes' and properties->>'file_path' = ${gone}`,
      );
      expect(nodesOfGone[0].count).toBe(0);
    });
  });

  describe('batch limits and bad content (acceptance 5)', () => {
    it('rejects empty, over-long and duplicate batches and names a file over 1 MiB', async () => {
      await expect(indexer.indexFiles(NS, { repository: 'x' }, [])).rejects.toMatchObject({ status: 400 });
      const many = Array.from({ length: 501 }, (_, i) => ({ path: `f${i}.py`, content: 'x = 1\n' }));
      await expect(indexer.indexFiles(NS, { repository: 'x' }, many)).rejects.toMatchObject({ status: 400 });
      await expect(indexer.indexFiles(NS, { repository: 'x' }, [FIXTURE_FILES[0], FIXTURE_FILES[0]])).rejects.toMatchObject({
        status: 400,
      });
      const big = { path: 'gen/huge.ts', content: 'x'.repeat(1024 * 1024 + 1) };
      await expect(indexer.indexFiles(NS, { repository: 'x' }, [FIXTURE_FILES[0], big])).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining('gen/huge.ts'),
        details: { path: 'gen/huge.ts' },
      });
      const [written] = await queryRows<{ n: string }>(database.db, sql`SELECT count(*) AS n FROM code_files WHERE repository = 'x'`);
      expect(Number(written.n)).toBe(0);
    });

    it('skips binary content and indexes what parses in a file with syntax errors', async () => {
      const report = await indexer.indexFiles(NS, { repository: 'bad' }, [
        { path: 'img.bin.ts', content: 'GIF89a\u0000\u0001' },
        { path: 'half.go', content: 'package p\n\nfunc Good() int { return 1 }\n\nfunc Bad( {\n' },
      ]);
      expect(report).toMatchObject({ files_indexed: 1, files_failed: 1 });
      expect(report.errors).toEqual([
        { path: 'img.bin.ts', error: 'binary content: skipped' },
        { path: 'half.go', error: expect.stringMatching(/^syntax error at line \d+; indexed what parsed$/) },
      ]);
      const names = await queryRows<{ name: string }>(
        database.db,
        sql`SELECT name FROM code_chunks WHERE repository = 'bad' ORDER BY start_line`,
      );
      expect(names.map((row) => row.name)).toContain('Good');
    });
  });

  describe('directories', () => {
    it('honours .gitignore, skips node_modules, .git, binaries and big files, and removes files that disappeared', async () => {
      const repo = join(root, 'repo');
      mkdirSync(join(repo, 'src', 'gen'), { recursive: true });
      mkdirSync(join(repo, 'node_modules', 'dep'), { recursive: true });
      mkdirSync(join(repo, '.git'), { recursive: true });
      writeFileSync(join(repo, '.gitignore'), 'dist/\n*.log\n');
      writeFileSync(join(repo, 'src', 'gen', '.gitignore'), 'skip.ts\n');
      writeFileSync(join(repo, 'src', 'main.py'), 'def main():\n    return helper()\n');
      writeFileSync(join(repo, 'src', 'helper.py'), 'def helper():\n    return 1\n');
      writeFileSync(join(repo, 'src', 'gen', 'skip.ts'), 'export function skipped() {}\n');
      writeFileSync(join(repo, 'src', 'gen', 'kept.ts'), 'export function kept() {}\n');
      writeFileSync(join(repo, 'debug.log'), 'log\n');
      mkdirSync(join(repo, 'dist'));
      writeFileSync(join(repo, 'dist', 'out.js'), 'function built() {}\n');
      writeFileSync(join(repo, 'node_modules', 'dep', 'index.js'), 'function dep() {}\n');
      writeFileSync(join(repo, '.git', 'config'), '[core]\n');
      writeFileSync(join(repo, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]));
      writeFileSync(join(repo, 'data.txt'), Buffer.from([0x61, 0, 0x62]));
      writeFileSync(join(repo, 'big.js'), `// ${'x'.repeat(1024 * 1024)}\n`);
      writeFileSync(join(outside, 'secret.py'), 'def secret():\n    pass\n');
      symlinkSync(join(outside, 'secret.py'), join(repo, 'src', 'linked-secret.py'));
      symlinkSync(join(repo, 'src', 'helper.py'), join(repo, 'alias.py'));

      const first = await indexer.indexDirectory(NS, { repository: 'dir' }, repo);
      const paths = (
        await queryRows<{ path: string }>(database.db, sql`SELECT path FROM code_files WHERE repository = 'dir' ORDER BY path`)
      ).map((row) => row.path);
      expect(paths).toEqual(['.gitignore', 'alias.py', 'src/gen/.gitignore', 'src/gen/kept.ts', 'src/helper.py', 'src/main.py']);
      expect([...first.errors].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
        { path: 'big.js', error: expect.stringContaining('larger than 1 MiB') },
        { path: 'data.txt', error: 'binary content: skipped' },
        { path: 'logo.png', error: 'binary file: skipped' },
        { path: 'src/linked-secret.py', error: expect.stringContaining('outside the indexed root') },
      ]);
      expect(first).toMatchObject({ files_indexed: 6, files_failed: 4 });

      const second = await indexer.indexDirectory(NS, { repository: 'dir' }, repo);
      expect(second).toMatchObject({ files_indexed: 0, files_unchanged: 6, nodes: 0, edges: 0 });

      unlinkSync(join(repo, 'src', 'helper.py'));
      unlinkSync(join(repo, 'alias.py'));
      const third = await indexer.indexDirectory(NS, { repository: 'dir' }, repo);
      expect(third).toMatchObject({ files_indexed: 0, files_unchanged: 4 });
      const left = await queryRows<{ n: string }>(
        database.db,
        sql`SELECT (SELECT count(*) FROM code_chunks WHERE repository = 'dir' AND file_path IN ('src/helper.py', 'alias.py'))
              + (SELECT count(*) FROM nodes WHERE repository = 'dir' AND properties->>'file_path' IN ('src/helper.py', 'alias.py')) AS n`,
      );
      expect(Number(left[0].n)).toBe(0);
      const graph = new CodeGraphService({ db: database.db });
      expect((await graph.callees(NS, 'dir', 'main', 1)).nodes).toEqual([]);
      expect((await graph.callees(NS, 'dir', 'main', 1)).edges).toEqual([]);
    });

    it('writes a directory all or nothing: a failure while writing leaves the stored index as it was', async () => {
      const repo = join(root, 'atomic');
      mkdirSync(repo);
      // 150 files: more than one prepare step of 100, so a per-step commit would have left some behind.
      const write = (version: number) => {
        for (let i = 0; i < 150; i++) {
          writeFileSync(join(repo, `m${String(i).padStart(3, '0')}.py`), `def f${i}_v${version}():\n    return ${i}\n`);
        }
      };
      write(1);
      writeFileSync(join(repo, 'gone.py'), 'def gone():\n    return 0\n');
      const phases: string[] = [];
      const first = await indexer.indexDirectory(NS, { repository: 'atomic' }, repo, (p) => phases.push(`${p.phase} ${p.done}/${p.total}`));
      expect(first).toMatchObject({ files_indexed: 151, files_failed: 0 });
      expect(phases).toEqual(['prepare 100/151', 'prepare 151/151', 'write 100/151', 'write 151/151']);

      const snapshot = async () =>
        queryRows<{ path: string; content_hash: string; chunks: string }>(
          database.db,
          sql`SELECT f.path, f.content_hash, (SELECT string_agg(c.name, ',' ORDER BY c.name) FROM code_chunks c
                WHERE c.namespace = f.namespace AND c.repository = f.repository AND c.file_path = f.path) AS chunks
              FROM code_files f WHERE f.namespace = ${NS} AND f.repository = 'atomic' ORDER BY f.path`,
        );
      const before = await snapshot();
      const nodesBefore = await queryRows<{ n: string }>(database.db, sql`SELECT count(*) AS n FROM nodes WHERE repository = 'atomic'`);

      // Every file changes, one vanishes, and the database refuses the last file of the last step.
      write(2);
      unlinkSync(join(repo, 'gone.py'));
      await database.db.transaction(async (tx) => {
        // Citus creates a trigger on a distributed table (on every shard) only when told that it is
        // safe, and runs DDL with functions over one connection per worker only in sequential mode; on
        // PostgreSQL and PGlite these are inert placeholder settings.
        await tx.execute(sql`SET LOCAL citus.enable_unsafe_triggers = on`);
        await tx.execute(sql`SET LOCAL citus.multi_shard_modify_mode = 'sequential'`);
        await tx.execute(sql`CREATE FUNCTION refuse_m149() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.path = 'm149.py' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
        await tx.execute(sql`CREATE TRIGGER refuse_m149 BEFORE INSERT ON code_files FOR EACH ROW EXECUTE FUNCTION refuse_m149()`);
      });
      try {
        await expect(indexer.indexDirectory(NS, { repository: 'atomic' }, repo)).rejects.toThrow();
      } finally {
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`SET LOCAL citus.enable_unsafe_triggers = on`);
          await tx.execute(sql`SET LOCAL citus.multi_shard_modify_mode = 'sequential'`);
          await tx.execute(sql`DROP TRIGGER refuse_m149 ON code_files`);
          await tx.execute(sql`DROP FUNCTION refuse_m149()`);
        });
      }
      expect(await snapshot()).toEqual(before);
      expect(await queryRows(database.db, sql`SELECT count(*) AS n FROM nodes WHERE repository = 'atomic'`)).toEqual(nodesBefore);

      const retried = await indexer.indexDirectory(NS, { repository: 'atomic' }, repo);
      expect(retried).toMatchObject({ files_indexed: 150, files_unchanged: 0, files_failed: 0 });
      const after = await snapshot();
      expect(after.map((row) => row.path)).not.toContain('gone.py');
      expect(after.find((row) => row.path === 'm149.py')?.chunks).toBe('f149_v2');
    });

    it('refuses paths outside CODE_INDEX_ROOTS, with .., or escaping through a symlink (403)', async () => {
      symlinkSync(outside, join(root, 'escape'));
      await expect(indexer.indexDirectory(NS, { repository: 'x' }, outside)).rejects.toMatchObject({ status: 403 });
      await expect(indexer.indexDirectory(NS, { repository: 'x' }, `${root}/repo/../repo`)).rejects.toMatchObject({ status: 403 });
      await expect(indexer.indexDirectory(NS, { repository: 'x' }, join(root, 'escape'))).rejects.toMatchObject({ status: 403 });
      await expect(indexer.indexDirectory(NS, { repository: 'x' }, 'repo')).rejects.toMatchObject({ status: 400 });
      await expect(indexer.indexDirectory(NS, { repository: 'x' }, join(root, 'nope'))).rejects.toMatchObject({ status: 404 });
      const closed = new CodeIndexingService({ db: database.db, runtime, indexRoots: [] });
      await expect(closed.indexDirectory(NS, { repository: 'x' }, join(root, 'repo'))).rejects.toMatchObject({ status: 403 });
    });
  });
});
