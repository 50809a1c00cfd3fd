/**
 * The last hour of the service's own metrics, in memory, for the monitoring page's charts. Prometheus
 * counters only say "since start"; a chart of traffic and latency over time needs them per minute.
 * Bounded: a fixed number of time buckets, each holding per-series latency histograms (fixed bounds)
 * and gauge samples, and at most MAX_SERIES series per family (further ones fold into "other").
 */

/** Latency histogram bounds in milliseconds; quantiles are interpolated within a bound. */
const BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000];
const MAX_SERIES = 40;

export type LatencyFamily = 'requests' | 'search' | 'embedding' | 'database';
export type GaugeName = 'events' | 'chunks' | 'queue_depth';

interface Latency {
  count: number;
  errors: number;
  counts: number[];
}

interface Bucket {
  start: number;
  latency: Record<LatencyFamily, Map<string, Latency>>;
  gauges: Partial<Record<GaugeName, number>>;
}

export interface LatencySeries {
  count: number[];
  errors: number[];
  p50_ms: (number | null)[];
  p95_ms: (number | null)[];
}

export interface WindowSnapshot {
  bucket_seconds: number;
  window_seconds: number;
  /** Start of each bucket, Unix seconds, oldest first. */
  times: number[];
  requests: Record<string, LatencySeries>;
  /** All requests together: the request rate and error rate. */
  requests_total: LatencySeries;
  search: Record<string, LatencySeries>;
  embedding: Record<string, LatencySeries>;
  database: Record<string, LatencySeries>;
  /** Last sample in each bucket; null where none was taken. `queue_depth` only while a worker is connected. */
  gauges: Record<GaugeName, (number | null)[]>;
  worker_connected: boolean;
}

export class MetricsWindow {
  readonly bucketSeconds: number;
  readonly buckets: number;
  private readonly ring: Bucket[] = [];
  private workerConnected = false;
  private readonly now: () => number;
  private sampler: (() => Promise<void>) | undefined;
  private sampledAt = 0;

  constructor(options: { bucketSeconds?: number; buckets?: number; now?: () => number } = {}) {
    this.bucketSeconds = options.bucketSeconds ?? 60;
    this.buckets = options.buckets ?? 60;
    this.now = options.now ?? Date.now;
  }

  /** One timed operation: a request (by `METHOD route`), a search (by kind and mode), an embedding, a query. */
  observe(family: LatencyFamily, series: string, seconds: number, failed = false): void {
    const bucket = this.current();
    const map = bucket.latency[family];
    let key = series;
    if (!map.has(key) && map.size >= MAX_SERIES) key = 'other';
    let latency = map.get(key);
    if (!latency) {
      latency = { count: 0, errors: 0, counts: new Array<number>(BOUNDS_MS.length + 1).fill(0) };
      map.set(key, latency);
    }
    latency.count++;
    if (failed) latency.errors++;
    const ms = seconds * 1000;
    const index = BOUNDS_MS.findIndex((bound) => ms <= bound);
    latency.counts[index === -1 ? BOUNDS_MS.length : index]++;
  }

  gauge(name: GaugeName, value: number): void {
    this.current().gauges[name] = value;
  }

  setWorkerConnected(connected: boolean): void {
    this.workerConnected = connected;
  }

  /** What takes the database samples (set by the sampler), so a read can ask for fresh ones. */
  setSampler(sampler: () => Promise<void>): void {
    this.sampler = sampler;
  }

  /** Takes the samples now unless the last ones are younger than `maxAgeMs`. */
  async refresh(maxAgeMs: number): Promise<void> {
    if (!this.sampler || this.now() - this.sampledAt < maxAgeMs) return;
    this.sampledAt = this.now();
    await this.sampler();
  }

  /** Records that samples were just taken (by the sampler's timer or a refresh). */
  markSampled(): void {
    this.sampledAt = this.now();
  }

  snapshot(): WindowSnapshot {
    const step = this.bucketSeconds * 1000;
    const last = Math.floor(this.now() / step) * step;
    const starts = Array.from({ length: this.buckets }, (_, i) => last - (this.buckets - 1 - i) * step);
    const byStart = new Map(this.ring.map((bucket) => [bucket.start, bucket]));
    const slots = starts.map((start) => byStart.get(start));
    const family = (name: LatencyFamily): Record<string, LatencySeries> => {
      const names = new Set<string>();
      for (const bucket of slots) for (const key of bucket?.latency[name].keys() ?? []) names.add(key);
      return Object.fromEntries([...names].sort().map((key) => [key, series(slots.map((bucket) => bucket?.latency[name].get(key)))]));
    };
    const totals = slots.map((bucket) => {
      if (!bucket) return undefined;
      const all = [...bucket.latency.requests.values()];
      if (all.length === 0) return undefined;
      return all.reduce<Latency>(
        (sum, item) => ({
          count: sum.count + item.count,
          errors: sum.errors + item.errors,
          counts: sum.counts.map((n, i) => n + item.counts[i]),
        }),
        { count: 0, errors: 0, counts: new Array<number>(BOUNDS_MS.length + 1).fill(0) },
      );
    });
    const gauge = (name: GaugeName) => slots.map((bucket) => bucket?.gauges[name] ?? null);
    return {
      bucket_seconds: this.bucketSeconds,
      window_seconds: this.bucketSeconds * this.buckets,
      times: starts.map((start) => start / 1000),
      requests: family('requests'),
      requests_total: series(totals),
      search: family('search'),
      embedding: family('embedding'),
      database: family('database'),
      gauges: { events: gauge('events'), chunks: gauge('chunks'), queue_depth: gauge('queue_depth') },
      worker_connected: this.workerConnected,
    };
  }

  /** The bucket for now, dropping buckets that fell out of the window. */
  private current(): Bucket {
    const step = this.bucketSeconds * 1000;
    const start = Math.floor(this.now() / step) * step;
    const newest = this.ring[this.ring.length - 1];
    if (newest && newest.start === start) return newest;
    const bucket: Bucket = {
      start,
      latency: { requests: new Map(), search: new Map(), embedding: new Map(), database: new Map() },
      gauges: {},
    };
    this.ring.push(bucket);
    const oldest = start - (this.buckets - 1) * step;
    while (this.ring.length > 0 && this.ring[0].start < oldest) this.ring.shift();
    return bucket;
  }
}

function series(slots: (Latency | undefined)[]): LatencySeries {
  return {
    count: slots.map((slot) => slot?.count ?? 0),
    errors: slots.map((slot) => slot?.errors ?? 0),
    p50_ms: slots.map((slot) => (slot ? quantile(slot, 0.5) : null)),
    p95_ms: slots.map((slot) => (slot ? quantile(slot, 0.95) : null)),
  };
}

/** The q-quantile of a histogram, interpolated linearly inside the bound it falls in. */
export function quantile(latency: { count: number; counts: number[] }, q: number): number | null {
  if (latency.count === 0) return null;
  const rank = q * latency.count;
  let seen = 0;
  for (let i = 0; i < latency.counts.length; i++) {
    const n = latency.counts[i];
    if (n > 0 && seen + n >= rank) {
      const lower = i === 0 ? 0 : BOUNDS_MS[i - 1];
      const upper = i < BOUNDS_MS.length ? BOUNDS_MS[i] : BOUNDS_MS[BOUNDS_MS.length - 1] * 2;
      return Math.round((lower + ((upper - lower) * (rank - seen)) / n) * 100) / 100;
    }
    seen += n;
  }
  return BOUNDS_MS[BOUNDS_MS.length - 1];
}
