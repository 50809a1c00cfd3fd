/**
 * Database fault drill: starts a PostgreSQL cluster of its own (tools/pg/test-cluster.sh, loopback,
 * a state file of its own) and the real API process on it, puts concurrent writes and reads on the
 * API, restarts the server (`pg_ctl restart -m fast`), then stops it for a while and starts it again.
 * Prints the outage and recovery time of each fault, the answers by status, and acknowledged writes
 * against those found in the database afterwards.
 *
 * `npm run bench:faults [-- --connections 8] [--stop-ms 5000]`
 *
 * Needs the PostgreSQL 15 binaries with pgvector and pg_partman (tools/pg/provision-extensions.sh).
 * The table on stdout, progress on stderr, the JSON in bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runFaultDrill } from '../src/testing/fault-drill';
import { startApi } from '../src/testing/api-process';
import { PrivateCluster } from '../src/testing/private-cluster';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function main(): Promise<void> {
  const connections = argument('connections', 8);
  const stopMs = argument('stop-ms', 5000);
  process.stderr.write('starting a private PostgreSQL cluster\n');
  const cluster = await PrivateCluster.start('bench-faults');
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  try {
    api = await startApi({ DATABASE_URL: cluster.url });
    process.stderr.write(`API ready at ${api.url}; drill with ${connections} connections, server stopped for ${stopMs} ms\n`);
    const result = await runFaultDrill({
      apiUrl: api.url,
      cluster,
      connections,
      stopMs,
      onProgress: (message) => process.stderr.write(`${message}\n`),
    });
    const alive = api.child.exitCode === null && api.child.signalCode === null;

    const rows: [string, string][] = [
      ['API process', alive ? 'up throughout' : `EXITED (${api.child.exitCode ?? api.child.signalCode})`],
      ...result.phases.flatMap((phase): [string, string][] => [
        [`${phase.fault}: outage`, `${phase.outageMs} ms`],
        [
          `${phase.fault}: recovery`,
          phase.recoveryMs === null ? 'NOT RECOVERED' : `${phase.recoveryMs} ms after the server accepted connections`,
        ],
      ]),
      ['requests', String(result.requests)],
      ...Object.entries(result.byStatus)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, count]): [string, string] => [`  ${status}`, String(count)]),
      ['non-503 errors', String(result.unexpected.length)],
      [
        '503 answer time p50 / p99 / max',
        result.unavailableLatency
          ? `${result.unavailableLatency.p50} / ${result.unavailableLatency.p99} / ${result.unavailableLatency.max} ms`
          : '-',
      ],
      ['503 without Retry-After', String(result.withoutRetryAfter)],
      ['bodies with SQL, stacks or paths', String(result.leakingBodies.length)],
      ['during the stop: /readiness, /health', `${result.duringStop.readiness}, ${result.duringStop.health}`],
      ['afterwards: /readiness, /health', `${result.afterwards.readiness}, ${result.afterwards.health}`],
      ['acknowledged writes', String(result.acknowledgedWrites)],
      ['found in the database', `${result.foundWrites} (missing ${result.missingWrites.length})`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(`\nDatabase fault drill (PostgreSQL 15, ${connections} connections, node ${process.version})\n\n`);
    for (const [label, value] of rows) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);

    const dir = resolve(__dirname, '..', '..', '..', 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `faults-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ connections, stopMs, node: process.version, alive, ...result }, null, 2)}\n`);
    process.stdout.write(`\n${file}\n`);
    if (!alive || result.missingWrites.length > 0 || result.unexpected.length > 0) process.exitCode = 1;
  } finally {
    if (api && api.child.exitCode === null) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    await cluster.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
