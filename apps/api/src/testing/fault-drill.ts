import { Client } from 'pg';
import type { PrivateCluster } from './private-cluster';

/**
 * A database fault drill against a running API: concurrent writes and reads while the server is
 * restarted (`pg_ctl restart -m fast`) and then stopped for a while and started again. Shared by the
 * fault test (which asserts) and `npm run bench:faults` (which prints).
 */
export interface FaultDrillOptions {
  apiUrl: string;
  cluster: PrivateCluster;
  /** Concurrent client loops; each writes or reads, half and half. */
  connections?: number;
  /** How long the server stays stopped in the second fault. */
  stopMs?: number;
  /** Load before the first fault and between and after the faults. */
  settleMs?: number;
  /** How long to wait for the API to answer 2xx again before calling it not recovered. */
  recoveryLimitMs?: number;
  onProgress?: (message: string) => void;
}

export interface FaultPhase {
  fault: 'restart -m fast' | 'stop, wait, start';
  /** From the first failed request after the fault began to the last one before service resumed. */
  outageMs: number;
  /** From the server accepting connections again to the API's first 2xx. */
  recoveryMs: number | null;
}

export interface FaultDrillResult {
  requests: number;
  byStatus: Record<string, number>;
  phases: FaultPhase[];
  acknowledgedWrites: number;
  foundWrites: number;
  missingWrites: string[];
  /** Non-2xx answers that were not a proper 503: status and a bounded body. */
  unexpected: { status: string; body: string }[];
  /** 503s without a Retry-After header. */
  withoutRetryAfter: number;
  /** Answers whose body shows SQL, a stack frame or a file path. */
  leakingBodies: string[];
  /** How long 503 answers took (ms): small when requests fail fast instead of piling up. */
  unavailableLatency: { p50: number; p99: number; max: number } | null;
  duringStop: { readiness: number; health: number; healthBody: string };
  afterwards: { readiness: number; health: number };
}

interface Sample {
  at: number;
  status: string;
  ms: number;
}

const INTERNALS = /\b(select|insert|update|delete)\b.*\b(from|into|set)\b|\bat [\w.<>]+ \(|\/(work|usr|home|tmp|app|src)\/|node_modules/i;

export async function runFaultDrill(options: FaultDrillOptions): Promise<FaultDrillResult> {
  const connections = options.connections ?? 8;
  const stopMs = options.stopMs ?? 3000;
  const settleMs = options.settleMs ?? 1500;
  const recoveryLimitMs = options.recoveryLimitMs ?? 15_000;
  const progress = options.onProgress ?? (() => undefined);
  const samples: Sample[] = [];
  const acknowledged: string[] = [];
  const unexpected: { status: string; body: string }[] = [];
  const leakingBodies: string[] = [];
  let withoutRetryAfter = 0;
  let running = true;
  let sequence = 0;

  const record = async (response: Response, started: number): Promise<string> => {
    const body = await response.text();
    samples.push({ at: Date.now(), status: String(response.status), ms: Date.now() - started });
    if (INTERNALS.test(body)) leakingBodies.push(body.slice(0, 300));
    if (response.status >= 300) {
      if (response.status !== 503 || !body.includes('"unavailable"'))
        unexpected.push({ status: String(response.status), body: body.slice(0, 300) });
      else if (!response.headers.get('retry-after')) withoutRetryAfter++;
    }
    return body;
  };

  const loop = async (worker: number): Promise<void> => {
    while (running) {
      const write = worker % 2 === 0 || acknowledged.length === 0;
      const started = Date.now();
      try {
        if (write) {
          const n = sequence++;
          const response = await fetch(`${options.apiUrl}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ content: { text: `fault drill write ${n}` }, metadata: { drill: true, n } }),
          });
          const body = await record(response, started);
          if (response.status === 201) acknowledged.push((JSON.parse(body) as { id: string }).id);
          if (response.status === 503) await pause(25);
        } else if (worker % 4 === 1) {
          const id = acknowledged[Math.floor(Math.random() * acknowledged.length)];
          const response = await fetch(`${options.apiUrl}/v1/events/${id}`);
          await record(response, started);
          if (response.status === 503) await pause(25);
        } else {
          const response = await fetch(`${options.apiUrl}/v1/search`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: 'fault drill write', mode: 'lexical', limit: 5 }),
          });
          await record(response, started);
          if (response.status === 503) await pause(25);
        }
      } catch (error) {
        // The API itself did not answer: it must never happen, the drill reports it.
        samples.push({ at: Date.now(), status: 'no answer', ms: Date.now() - started });
        unexpected.push({ status: 'no answer', body: error instanceof Error ? error.message : String(error) });
        await pause(100);
      }
    }
  };

  const firstSuccessAfter = async (since: number): Promise<number | null> => {
    const deadline = Date.now() + recoveryLimitMs;
    while (Date.now() < deadline) {
      const ok = samples.find((sample) => sample.at >= since && sample.status.startsWith('2'));
      if (ok) return ok.at;
      await pause(10);
    }
    return null;
  };

  const phase = async (fault: FaultPhase['fault'], inject: () => Promise<number>): Promise<FaultPhase> => {
    const began = Date.now();
    const serverBack = await inject();
    const resumed = await firstSuccessAfter(serverBack);
    const failures = samples.filter(
      (sample) => sample.at >= began && !sample.status.startsWith('2') && (resumed === null || sample.at <= resumed),
    );
    const outageMs = failures.length > 0 ? failures[failures.length - 1].at - failures[0].at : 0;
    const result = { fault, outageMs, recoveryMs: resumed === null ? null : Math.max(0, resumed - serverBack) };
    progress(`${fault}: outage ${outageMs} ms, recovery ${result.recoveryMs ?? 'none'} ms`);
    return result;
  };

  const loops = Array.from({ length: connections }, (_, worker) => loop(worker));
  const phases: FaultPhase[] = [];
  let duringStop = { readiness: 0, health: 0, healthBody: '' };
  try {
    await pause(settleMs);

    phases.push(
      await phase('restart -m fast', async () => {
        await options.cluster.restart();
        return Date.now();
      }),
    );
    await pause(settleMs);

    phases.push(
      await phase('stop, wait, start', async () => {
        await options.cluster.stop();
        await pause(Math.min(500, stopMs));
        const readiness = await fetch(`${options.apiUrl}/readiness`);
        await readiness.text();
        const health = await fetch(`${options.apiUrl}/health`);
        duringStop = { readiness: readiness.status, health: health.status, healthBody: await health.text() };
        await pause(Math.max(0, stopMs - 500));
        await options.cluster.start();
        return Date.now();
      }),
    );
    await pause(settleMs);
  } finally {
    // Whatever happened (even the API gone), the client loops end and the drill returns or throws.
    running = false;
    await Promise.all(loops);
  }

  const afterwards = {
    readiness: (await fetch(`${options.apiUrl}/readiness`)).status,
    health: (await fetch(`${options.apiUrl}/health`)).status,
  };
  const found = await findEvents(options.cluster.url, acknowledged);
  const byStatus: Record<string, number> = {};
  for (const sample of samples) byStatus[sample.status] = (byStatus[sample.status] ?? 0) + 1;
  const unavailable = samples
    .filter((sample) => sample.status === '503')
    .map((sample) => sample.ms)
    .sort((a, b) => a - b);
  const percentile = (p: number) => unavailable[Math.min(unavailable.length - 1, Math.floor((p / 100) * unavailable.length))];
  return {
    requests: samples.length,
    byStatus,
    phases,
    acknowledgedWrites: acknowledged.length,
    foundWrites: found.size,
    missingWrites: acknowledged.filter((id) => !found.has(id)),
    unexpected,
    withoutRetryAfter,
    leakingBodies,
    unavailableLatency:
      unavailable.length > 0 ? { p50: percentile(50), p99: percentile(99), max: unavailable[unavailable.length - 1] } : null,
    duringStop,
    afterwards,
  };
}

/** Looks the acknowledged ids up directly in the database, not through the API under test. */
async function findEvents(databaseUrl: string, ids: string[]): Promise<Set<string>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>('select id::text as id from events where id = any($1::uuid[])', [ids]);
    return new Set(rows.map((row) => row.id));
  } finally {
    await client.end();
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
