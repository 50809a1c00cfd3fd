import fc from 'fast-check';
import { testEngineName } from '@mnemolite/db/testing';
import { createFullTestApp, type FullTestApp, type RawRequest, type RawResponse } from '../testing/full-test-app';
import { describeRequest, fuzzOperations, type FuzzOperation, type FuzzSeeds, type OpenApiDocument } from '../testing/openapi-fuzz';

const engine = testEngineName();
/** Malformed requests per route family and engine (the issue asks for at least 1,000). */
const RUNS = 1000;
const FUZZ_KEY = 'fuzz-bootstrap-key-0123456789';
const FAMILIES = ['events', 'search', 'graph', 'code', 'operations'] as const;
type Family = (typeof FAMILIES)[number];

function familyOf(path: string): Family {
  if (path.startsWith('/v1/events')) return 'events';
  if (path.startsWith('/v1/search')) return 'search';
  if (path.startsWith('/v1/graph')) return 'graph';
  if (path.startsWith('/v1/code')) return 'code';
  return 'operations';
}

/** No 5xx, and every error in the contract's body. */
function check(req: RawRequest, res: RawResponse): void {
  if (res.status >= 500) throw new Error(`${res.status} for ${describeRequest(req)}\n→ ${res.text.slice(0, 500)}`);
  if (res.status < 400) return;
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new Error(`${res.status} without a JSON body for ${describeRequest(req)}\n→ ${res.text.slice(0, 300)}`);
  }
  if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') {
    throw new Error(`${res.status} without the error body for ${describeRequest(req)}\n→ ${res.text.slice(0, 300)}`);
  }
}

describe(`OpenAPI-driven fuzz: malformed requests never get a 5xx (${engine})`, () => {
  let t: FullTestApp;
  let operations: FuzzOperation[];
  const sent: Partial<Record<Family, number>> = {};
  const statuses: Partial<Record<Family, Record<number, number>>> = {};
  const perOperation = new Map<string, number>();

  beforeAll(async () => {
    // A worker is said to run, so that async writes are queued (202): without one they are a 503 by
    // contract, which is not what this test looks for.
    // With the bootstrap admin key on every request: the fuzzer also creates API keys (a well-formed
    // POST /v1/admin/keys), which would otherwise switch an open service to keys half way through.
    t = await createFullTestApp({ workerAvailable: true, config: { apiKey: FUZZ_KEY } });
    const send = t.send;
    t.send = (req) => send({ ...req, headers: { authorization: `Bearer ${FUZZ_KEY}`, ...req.headers } });
    const post = async (path: string, body: unknown) => {
      const res = await t.send({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`seeding ${path}: ${res.status} ${res.text}`);
      return JSON.parse(res.text);
    };
    const { ids } = await post('/v1/events/batch', {
      events: [
        { content: { text: 'the black cat sat on the warm mat' }, metadata: { tag: 'fuzz', n: 1 } },
        { content: { text: 'the orchestra played a violin solo' }, metadata: { tag: 'fuzz', n: 2 } },
      ],
    });
    const edge = await post('/v1/graph/edges', { source: ids[0], target: ids[1], relation: 'follows' });
    await post('/v1/code/index', {
      repository: 'shop',
      files: [
        {
          path: 'src/users.ts',
          content:
            'export function getUserById(id: string) {\n  return lookupUser(id);\n}\nfunction lookupUser(id: string) {\n  return { id };\n}\n',
        },
      ],
    });
    const chunks = JSON.parse((await t.send({ method: 'GET', path: '/v1/code/chunks?repository=shop' })).text);
    const seeds: FuzzSeeds = {
      ids: [...ids, edge.id, chunks.items[0].id],
      repositories: ['shop', 'acme/shop'],
      words: ['cat', 'orchestra', 'violin', 'getUserById', 'lookupUser', 'src/', 'follows', 'event', 'fuzz'],
    };
    const doc = JSON.parse((await t.send({ method: 'GET', path: '/openapi.json' })).text) as OpenApiDocument;
    operations = fuzzOperations(doc, seeds, familyOf);
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(
      `openapi fuzz (${engine}): requests sent per family ${JSON.stringify(sent)}; statuses ${JSON.stringify(statuses)}\n`,
    );
    await t?.close();
  });

  it.each(FAMILIES)(
    `%s: ${RUNS} malformed requests, no 5xx, every error in the contract's body`,
    async (family) => {
      const arbitrary = fc.oneof(...operations.filter((operation) => operation.family === family).map((operation) => operation.request));
      const counts: Record<number, number> = {};
      let count = 0;
      await fc.assert(
        fc.asyncProperty(arbitrary, async (req) => {
          count++;
          perOperation.set(req.operation, (perOperation.get(req.operation) ?? 0) + 1);
          const res = await t.send(req);
          counts[res.status] = (counts[res.status] ?? 0) + 1;
          check(req, res);
        }),
        { numRuns: RUNS },
      );
      sent[family] = count;
      statuses[family] = counts;
      expect(count).toBeGreaterThanOrEqual(RUNS);
      // Malformed means mostly refused: a fuzzer whose requests all pass would test nothing. The
      // operations family (health, readiness, metrics) takes no input, so only its wrong methods are.
      const refused = Object.entries(counts)
        .filter(([status]) => Number(status) >= 400)
        .reduce((sum, [, n]) => sum + n, 0);
      expect(refused).toBeGreaterThan(family === 'operations' ? RUNS / 100 : RUNS / 4);
    },
    240_000,
  );

  it('exercised every documented operation', () => {
    const missed = operations.filter((operation) => (perOperation.get(`${operation.method} ${operation.path}`) ?? 0) < 10);
    expect(operations.length).toBeGreaterThanOrEqual(29);
    expect(missed.map((operation) => `${operation.method} ${operation.path}`)).toEqual([]);
  });

  it('leaves a healthy process: /health ok, a write and a read work, nothing logged as an error', async () => {
    const health = await t.send({ method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text).status).toBe('ok');
    const created = await t.send({
      method: 'POST',
      path: '/v1/events',
      headers: { 'content-type': 'application/json' },
      body: '{"content":{"text":"after the storm"}}',
    });
    expect(created.status).toBe(201);
    const read = await t.send({ method: 'GET', path: `/v1/events/${JSON.parse(created.text).id}` });
    expect(JSON.parse(read.text).content).toEqual({ text: 'after the storm' });
    const errors = t.logs
      .map((line) => JSON.parse(line) as { level: number | string; msg: string })
      .filter((entry) => entry.level === 'error' || entry.level === 'fatal' || Number(entry.level) >= 50);
    expect(errors.map((entry) => entry.msg)).toEqual([]);
  });
});
