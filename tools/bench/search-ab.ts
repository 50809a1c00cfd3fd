/**
 * Search speed, this working tree against an earlier commit, on one store and one machine: the way a
 * retrieval change is timed here (2 shared cores: two runs an hour apart differ more than most changes
 * do). Both sides run the same requests (`bench:memory`'s kinds, from its synthetic generator) through
 * their own `SearchService` on the same database, in alternating rounds (baseline first in even rounds,
 * this tree first in odd ones), each round a fresh process that warms up first. Prints mean/p50/p95 per
 * kind and side, the change of the mean, and how many result pages were identical (a speed change
 * should not move results; a ranking change shows here).
 *
 * `npm run bench:search-ab -- --baseline <commit> [--events 3000] [--queries 40] [--rounds 4]
 *   [--kinds vector,hybrid] [--database <postgres url or PGlite directory of a filled store>]`
 *
 * Store: a fresh database on the server of `DATABASE_URL`, else PGlite in a temporary directory, filled
 * with `--events` synthetic events (bench:memory's load path) and dropped at the end; or, with
 * `--database`, a store filled earlier (`bench:memory -- --keep`), left as it is. The baseline is checked
 * out in a temporary git worktree (its `node_modules` links to this tree's packages, its `@mnemolite/*`
 * to its own libs); it must have the same migrations as this tree, since both read one database.
 * `--kinds` matches the start of kind names (`vector` also picks `vector + 1% metadata`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDb } from '@mnemolite/db';
import { HashEmbedder } from '@mnemolite/embeddings';
import { argument, createScratchDatabase } from './bench-database';
import { SEARCH_KINDS } from './search-kinds';
import { generator, percentile } from './synthetic-events';
import { fillSyntheticStore } from './synthetic-store';

const ROOT = resolve(__dirname, '../..');
const CLIENT = 'tools/bench/search-ab-client.ts';

function text(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
}

/** The baseline in a temporary worktree, with this tree's packages and its own libs. */
function checkOutBaseline(revision: string, dir: string): string {
  const tree = join(dir, 'baseline');
  git('worktree', 'add', '--quiet', '--detach', tree, revision);
  const modules = join(tree, 'node_modules');
  mkdirSync(join(modules, '@mnemolite'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry !== '@mnemolite') symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  for (const lib of readdirSync(join(tree, 'libs'))) symlinkSync(join('..', '..', 'libs', lib), join(modules, '@mnemolite', lib));
  copyFileSync(join(ROOT, CLIENT), join(tree, CLIENT));
  return tree;
}

interface Measured {
  ms: number;
  ids: string[];
}

function runClient(tree: string, env: NodeJS.ProcessEnv, requestsFile: string, outFile: string): Promise<Measured[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(tree, CLIENT), requestsFile, outFile], {
      cwd: tree,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done(JSON.parse(readFileSync(outFile, 'utf8')) as Measured[]) : fail(new Error(`the ${tree} side exited with ${code}`)),
    );
  });
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function summary(timings: number[]): { mean: number; p50: number; p95: number } {
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    mean: round2(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    p50: round2(percentile(sorted, 50)),
    p95: round2(percentile(sorted, 95)),
  };
}

async function main(): Promise<void> {
  const revision = text('baseline');
  if (!revision) throw new Error('bench:search-ab needs --baseline <commit>');
  const baselineCommit = git('rev-parse', '--short', revision);
  const events = argument('events', 3000);
  const perKind = argument('queries', 40);
  const rounds = argument('rounds', 4);
  const wanted = text('kinds')?.split(',');
  const kinds = SEARCH_KINDS.filter((kind) => !wanted || wanted.some((prefix) => kind.name.startsWith(prefix)));
  if (kinds.length === 0) throw new Error(`--kinds matches none of: ${SEARCH_KINDS.map((kind) => kind.name).join(', ')}`);
  if (git('diff', '--stat', revision, '--', 'libs/db/migrations') !== '') {
    throw new Error(`${revision} has other migrations than this tree: both sides must read the same database`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'mnemolite-search-ab-'));
  const existing = text('database');
  const serverUrl = process.env['DATABASE_URL'];
  const scratch = existing || !serverUrl ? null : await createScratchDatabase(serverUrl, 'mnemolite_ab');
  const env: NodeJS.ProcessEnv = existing
    ? /^postgres(ql)?:\/\//.test(existing)
      ? { DATABASE_URL: existing }
      : { DATABASE_URL: '', MNEMO_DATA_DIR: existing }
    : scratch
      ? { DATABASE_URL: scratch.url }
      : { DATABASE_URL: '', MNEMO_DATA_DIR: join(dir, 'pgdata') };
  const engine = env['DATABASE_URL'] ? 'postgres' : 'pglite';
  let tree: string | null = null;
  try {
    const gen = generator(new Date());
    if (existing) {
      gen.replayQueryTexts();
    } else {
      const handle = env['DATABASE_URL']
        ? await createDb({ engine: 'postgres', url: env['DATABASE_URL'], poolMax: 4 })
        : await createDb({ engine: 'pglite', dataDir: env['MNEMO_DATA_DIR'] as string });
      process.stderr.write(`search A/B: filling ${engine} with ${events} events\n`);
      await fillSyntheticStore(handle, events, gen, new HashEmbedder(768));
      await handle.close();
    }
    const requests = kinds.flatMap((kind) =>
      Array.from({ length: perKind }, () => ({ kind: kind.name, body: { limit: 10, ...kind.request(gen) } })),
    );
    const requestsFile = join(dir, 'requests.json');
    writeFileSync(requestsFile, JSON.stringify(requests));
    tree = checkOutBaseline(revision, dir);

    const sides = { baseline: tree, candidate: ROOT } as const;
    const runs: Record<keyof typeof sides, Measured[][]> = { baseline: [], candidate: [] };
    for (let r = 0; r < rounds; r++) {
      const order: (keyof typeof sides)[] = r % 2 === 0 ? ['baseline', 'candidate'] : ['candidate', 'baseline'];
      for (const side of order) {
        process.stderr.write(`round ${r + 1}/${rounds}: ${side}\n`);
        runs[side].push(await runClient(sides[side], env, requestsFile, join(dir, `${side}-${r}.json`)));
      }
    }

    const rows = kinds.map((kind) => {
      const indexes = requests.flatMap((request, i) => (request.kind === kind.name ? [i] : []));
      const times = (side: keyof typeof sides) => runs[side].flatMap((run) => indexes.map((i) => run[i].ms));
      const baseline = summary(times('baseline'));
      const candidate = summary(times('candidate'));
      const identical = indexes.filter((i) => runs.baseline[0][i].ids.join() === runs.candidate[0][i].ids.join()).length;
      return {
        kind: kind.name,
        baseline,
        candidate,
        change: round2(((candidate.mean - baseline.mean) / baseline.mean) * 100),
        identical,
        queries: indexes.length,
      };
    });
    const report = {
      engine,
      events: existing ? 'existing store' : events,
      baseline: baselineCommit,
      candidate: `${git('rev-parse', '--short', 'HEAD')} + working tree`,
      rounds,
      rows,
      at: new Date().toISOString(),
    };
    process.stdout.write(
      [
        `${engine}, ${report.events} events, ${rounds} alternated rounds, baseline ${baselineCommit} vs ${report.candidate}`,
        '',
        '| kind | baseline mean / p50 / p95 ms | this tree mean / p50 / p95 ms | mean change | identical pages |',
        '|---|---:|---:|---:|---:|',
        ...rows.map(
          (row) =>
            `| ${row.kind} | ${row.baseline.mean} / ${row.baseline.p50} / ${row.baseline.p95} | ${row.candidate.mean} / ${row.candidate.p50} / ${row.candidate.p95} | ${row.change > 0 ? '+' : ''}${row.change}% | ${row.identical}/${row.queries} |`,
        ),
        '',
      ].join('\n'),
    );
    const results = resolve(ROOT, 'bench/results');
    mkdirSync(results, { recursive: true });
    const file = join(results, `search-ab-${engine}-${report.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`wrote ${file}\n`);
  } finally {
    if (tree) git('worktree', 'remove', '--force', tree);
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
