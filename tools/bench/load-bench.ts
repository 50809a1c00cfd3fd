/**
 * HTTP load benchmark: starts the real API process (apps/api/src/main.ts) on a free loopback port and
 * drives it with autocannon: writes (`POST /v1/events`), searches (`POST /v1/search`, hybrid) and an
 * 80/20 mix (4 reads — search, list, get by id, GET search — for every write), each at 10 and 50
 * connections. Prints req/s, p50/p99 latency (as the client sees it, queueing included), the
 * server-side p99 (from the API's own /metrics histogram: Express in to response out, so the
 * difference is time spent waiting to be read), errors, non-2xx and the API process's peak RSS.
 *
 * `npm run bench:load [-- --duration 10] [--connections 10,50] [--max-requests 100000] [--seed-events 2000]
 *   [--engines pglite,postgres]`
 *
 * Engines: embedded PGlite in a temporary directory, and PostgreSQL too when DATABASE_URL or
 * TEST_DATABASE_URL is set (a fresh database on that server, dropped at the end); `--engines` picks.
 * Every run stops by itself: after `--duration` seconds or `--max-requests` requests, whichever comes
 * first. Loopback only. The API runs with its defaults except EMBEDDING_MODE=hash (no model download;
 * set EMBEDDING_MODE to measure a real model). Progress on stderr, the table on stdout, the JSON in
 * bench/results/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { createScratchDatabase } from './bench-database';

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'apps/api/src/main.ts');
const JSON_HEADERS = { 'content-type': 'application/json' };

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

const WORDS = (
  'memory agent search vector index partition postgres cosine lexical hybrid fusion graph node edge ' +
  'event metadata timestamp embedding model chunk repository function class module import call ' +
  'latency throughput cache disk network queue worker retry backoff deploy release incident alert ' +
  'customer invoice order payment refund ticket meeting summary decision note reminder deadline'
).split(' ');

function words(count: number): string {
  return Array.from({ length: count }, () => WORDS[Math.floor(Math.random() * WORDS.length)]).join(' ');
}

function eventBody(): string {
  return JSON.stringify({ content: { text: words(12) }, metadata: { bench: 'load', bucket: Math.floor(Math.random() * 20) } });
}

function searchBody(): string {
  return JSON.stringify({ query: words(3), mode: 'hybrid', limit: 10 });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

interface Engine {
  name: 'pglite' | 'postgres';
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

async function pgliteEngine(): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'mnemolite-load-'));
  return {
    name: 'pglite',
    env: { DATABASE_URL: '', MNEMO_DATA_DIR: join(dir, 'pgdata') },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresEngine(serverUrl: string): Promise<Engine> {
  const scratch = await createScratchDatabase(serverUrl, 'mnemolite_load');
  return { name: 'postgres', env: { DATABASE_URL: scratch.url }, cleanup: () => scratch.drop() };
}

interface Api {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts the API (main.ts through tsx) on a free loopback port and waits until /readiness says ready. */
async function startApi(engine: Engine): Promise<Api> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
      EMBEDDING_MODE: process.env['EMBEDDING_MODE'] ?? 'hash',
      ...engine.env,
    },
    // stdout (one JSON line per request at info) goes to /dev/null: reading it here would compete
    // with the API for the same CPUs.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  let exited = false;
  const exit = new Promise<void>((done) => child.on('exit', () => ((exited = true), done())));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`the API exited before it was ready:\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`the API was not ready after 120 s:\n${stderr}`);
    try {
      const res = await fetch(`${url}/readiness`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  return {
    child,
    url,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** Peak RSS since the last reset (Linux: VmHWM, reset through clear_refs); null elsewhere. */
function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not Linux, or not allowed: the peak then covers the whole process life
  }
}

function peakRssMb(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function seed(url: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let done = 0; done < count; done += 500) {
    const events = Array.from({ length: Math.min(500, count - done) }, () => JSON.parse(eventBody()) as unknown);
    const res = await fetch(`${url}/v1/events/batch`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ events }) });
    if (res.status !== 201) throw new Error(`seeding: ${res.status} ${await res.text()}`);
    ids.push(...((await res.json()) as { ids: string[] }).ids);
  }
  return ids;
}

function scenarios(ids: string[]): { name: string; requests: AutocannonRequest[] }[] {
  const write: AutocannonRequest = {
    method: 'POST',
    path: '/v1/events',
    headers: JSON_HEADERS,
    setupRequest: (req) => ({ ...req, body: eventBody() }),
  };
  const search: AutocannonRequest = {
    method: 'POST',
    path: '/v1/search',
    headers: JSON_HEADERS,
    setupRequest: (req) => ({ ...req, body: searchBody() }),
  };
  const list: AutocannonRequest = { method: 'GET', path: '/v1/events?limit=20', setupRequest: (req) => req };
  const get: AutocannonRequest = {
    method: 'GET',
    setupRequest: (req) => ({ ...req, path: `/v1/events/${ids[Math.floor(Math.random() * ids.length)]}` }),
  };
  const getSearch: AutocannonRequest = {
    method: 'GET',
    setupRequest: (req) => ({ ...req, path: `/v1/search?mode=lexical&query=${encodeURIComponent(words(2))}` }),
  };
  return [
    { name: 'writes', requests: [write] },
    { name: 'searches (hybrid)', requests: [search] },
    { name: 'mix 80/20 read/write', requests: [search, list, get, getSearch, write] },
  ];
}

/**
 * Cumulative counts of the API's own request-duration histogram (`/metrics`), summed over the /v1
 * routes, by bucket bound in seconds. The difference of two snapshots gives the server-side
 * distribution of one run: time from Express receiving the request to the response.
 */
async function serverHistogram(url: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    const match = /^mnemolite_http_request_duration_seconds_bucket\{(.*)\} (\d+)$/.exec(line);
    if (!match || !/route="\/v1\//.test(match[1])) continue;
    const le = /le="([^"]+)"/.exec(match[1])?.[1] ?? '+Inf';
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(match[2]));
  }
  return buckets;
}

/** The bucket bound (ms) under which `quantile` of the run's requests finished, server-side. */
function serverQuantileMs(before: Map<number, number>, after: Map<number, number>, quantile: number): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  if (total <= 0) return null;
  for (const bound of bounds) {
    if ((after.get(bound) ?? 0) - (before.get(bound) ?? 0) >= quantile * total) return Number.isFinite(bound) ? bound * 1000 : null;
  }
  return null;
}

interface Row {
  engine: string;
  scenario: string;
  connections: number;
  requests: number;
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Server-side p99 (Express in to response out), as the histogram bucket bound it falls under. */
  server_p99_le_ms: number | null;
  errors: number;
  timeouts: number;
  non_2xx: number;
  status_codes: Record<string, number>;
  peak_rss_mb: number | null;
}

async function runEngine(
  engine: Engine,
  options: { duration: number; connections: number[]; maxRequests: number; seedEvents: number },
): Promise<Row[]> {
  process.stderr.write(`[${engine.name}] starting the API...\n`);
  const api = await startApi(engine);
  const pid = api.child.pid as number;
  const rows: Row[] = [];
  try {
    process.stderr.write(`[${engine.name}] seeding ${options.seedEvents} events...\n`);
    const ids = await seed(api.url, options.seedEvents);
    for (const connections of options.connections) {
      for (const scenario of scenarios(ids)) {
        process.stderr.write(`[${engine.name}] ${scenario.name}, ${connections} connections, ${options.duration} s...\n`);
        resetPeakRss(pid);
        const before = await serverHistogram(api.url);
        const result = await autocannon({
          url: api.url,
          connections,
          duration: options.duration,
          maxOverallRequests: Math.max(options.maxRequests, connections),
          timeout: 10,
          requests: scenario.requests,
        });
        const after = await serverHistogram(api.url);
        rows.push({
          engine: engine.name,
          scenario: scenario.name,
          connections,
          requests: result.requests.total,
          req_per_s: Math.round(result.requests.average),
          p50_ms: result.latency.p50,
          p99_ms: result.latency.p99,
          max_ms: result.latency.max,
          server_p99_le_ms: serverQuantileMs(before, after, 0.99),
          errors: result.errors,
          timeouts: result.timeouts,
          non_2xx: result.non2xx,
          status_codes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, stat]) => [status, stat.count])),
          peak_rss_mb: peakRssMb(pid),
        });
      }
    }
    const health = await fetch(`${api.url}/health`);
    if (!health.ok) throw new Error(`[${engine.name}] /health answered ${health.status} after the load`);
  } finally {
    await api.stop();
    await engine.cleanup();
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const lines = [
    '| engine | scenario | conns | requests | req/s | p50 ms | p99 ms | max ms | server p99 ms | errors | non-2xx | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.engine} | ${row.scenario} | ${row.connections} | ${row.requests} | ${row.req_per_s} | ${row.p50_ms} | ${row.p99_ms} | ${row.max_ms} | ≤ ${row.server_p99_le_ms ?? 'n/a'} | ${row.errors} | ${row.non_2xx} | ${row.peak_rss_mb ?? 'n/a'} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const options = {
    duration: Number(argument('duration', '10')),
    connections: argument('connections', '10,50').split(',').map(Number),
    maxRequests: Number(argument('max-requests', '100000')),
    seedEvents: Number(argument('seed-events', '2000')),
  };
  if (!(options.duration > 0 && options.duration <= 600) || options.connections.some((n) => !(n >= 1 && n <= 1000))) {
    throw new Error('--duration must be 1..600 seconds and --connections 1..1000 each');
  }
  const serverUrl = process.env['DATABASE_URL'] || process.env['TEST_DATABASE_URL'];
  const wanted = argument('engines', serverUrl ? 'pglite,postgres' : 'pglite').split(',');
  if (wanted.some((name) => name !== 'pglite' && name !== 'postgres')) throw new Error('--engines lists pglite and/or postgres');
  if (wanted.includes('postgres') && !serverUrl) throw new Error('--engines postgres needs DATABASE_URL or TEST_DATABASE_URL');
  const engines = [
    ...(wanted.includes('pglite') ? [pgliteEngine] : []),
    ...(wanted.includes('postgres') && serverUrl ? [() => postgresEngine(serverUrl)] : []),
  ];
  const rows: Row[] = [];
  for (const makeEngine of engines) rows.push(...(await runEngine(await makeEngine(), options)));

  const at = new Date();
  printTable(rows);
  // The target: no errors or non-2xx anywhere, p99 under 1 s at 50 connections.
  const failing = rows.filter((row) => row.errors > 0 || row.non_2xx > 0 || (row.connections >= 50 && row.p99_ms >= 1000));
  const at50 = rows.some((row) => row.connections >= 50);
  process.stdout.write(
    failing.length > 0
      ? `target missed in ${failing.length} run(s): ${failing.map((row) => `${row.engine} ${row.scenario} x${row.connections} (p99 ${row.p99_ms} ms, errors ${row.errors}, non-2xx ${row.non_2xx})`).join('; ')}\n`
      : `target met: no errors, no non-2xx${at50 ? ', p99 < 1 s at 50 connections' : ' (p99 at 50 connections not measured in this run)'}\n`,
  );
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `load-${at.toISOString().replace(/[:.]/g, '-')}.json`);
  const result = {
    at: at.toISOString(),
    node: process.version,
    cpus: cpus().length,
    options,
    embedding_mode: process.env['EMBEDDING_MODE'] ?? 'hash',
    rows,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`wrote ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
