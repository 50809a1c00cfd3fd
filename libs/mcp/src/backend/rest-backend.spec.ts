import { AppError } from '@mnemolite/common';
import { createRestBackend } from './rest-backend';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function fakeFetch(status: number, body: unknown, seen: Seen[] = []): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    seen.push({ url, method: String(init.method), headers: init.headers as Record<string, string>, body: init.body as string | undefined });
    return new Response(status === 204 ? null : typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
}

describe('REST backend (the stdio server working through a running API)', () => {
  it('sends the key as a bearer token and the REST contract paths, with query values encoded', async () => {
    const seen: Seen[] = [];
    const backend = createRestBackend({
      url: 'http://api.test:8000/',
      apiKey: 'k'.repeat(20),
      fetch: fakeFetch(200, { items: [], total: 0, limit: 5, offset: 0 }, seen),
    });
    await backend.listEvents({ limit: 5, metadata: { project: 'a&b' } });
    await backend.callers('my repo', 'Class.method', 2);
    expect(seen[0].url).toBe('http://api.test:8000/v1/events?limit=5&metadata=%7B%22project%22%3A%22a%26b%22%7D');
    expect(seen[0].headers['authorization']).toBe(`Bearer ${'k'.repeat(20)}`);
    expect(seen[1].url).toBe('http://api.test:8000/v1/code/graph/callers?repository=my+repo&symbol=Class.method&depth=2');
  });

  it('sends its namespace as X-Namespace ("default" unless named), and withNamespace another one', async () => {
    const seen: Seen[] = [];
    const backend = createRestBackend({ url: 'http://api.test:8000', fetch: fakeFetch(200, [], seen) });
    expect(backend.namespace).toBe('default');
    await backend.repositories();
    const teamA = createRestBackend({ url: 'http://api.test:8000', namespace: 'team-a', fetch: fakeFetch(200, [], seen) });
    await teamA.repositories();
    const teamB = teamA.withNamespace('team-b');
    expect(teamB.namespace).toBe('team-b');
    await teamB.repositories();
    expect(seen.map((request) => request.headers['X-Namespace'])).toEqual(['default', 'team-a', 'team-b']);
    expect(() => createRestBackend({ url: 'http://api.test:8000', namespace: 'no spaces' })).toThrow();
  });

  it('escapes ids and names in paths, so they cannot reach another route', async () => {
    const seen: Seen[] = [];
    const backend = createRestBackend({ url: 'http://api.test', fetch: fakeFetch(204, null, seen) });
    await backend.deleteEvent('../code/repositories/x');
    expect(seen[0].url).toBe('http://api.test/v1/events/..%2Fcode%2Frepositories%2Fx');
    expect(seen[0].method).toBe('DELETE');
  });

  it("turns the API's error body into the same AppError the services throw, details included", async () => {
    const body = {
      error: { code: 'validation_error', message: 'The request is invalid.', details: [{ path: 'limit', message: 'Too big' }] },
    };
    const backend = createRestBackend({ url: 'http://api.test', fetch: fakeFetch(400, body) });
    const error = await backend.searchEvents({ query: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'validation_error', message: 'The request is invalid.', details: body.error.details });
  });

  it('says which variable to fix when the key is refused or the API cannot be reached', async () => {
    const refused = createRestBackend({
      url: 'http://api.test',
      fetch: fakeFetch(401, { error: { code: 'unauthorized', message: 'The API key is not valid.' } }),
    });
    await expect(refused.repositories()).rejects.toThrow(/MNEMOLITE_API_KEY/);
    const down = createRestBackend({
      url: 'http://127.0.0.1:9',
      fetch: (async () => {
        throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
      }) as unknown as typeof fetch,
    });
    await expect(down.health()).rejects.toThrow(/ECONNREFUSED.*MNEMOLITE_URL/);
  });

  it('answers a non-JSON body (not the API at that URL) with an error naming MNEMOLITE_URL', async () => {
    const backend = createRestBackend({ url: 'http://api.test', fetch: fakeFetch(200, '<html>hello</html>') });
    await expect(backend.repositories()).rejects.toThrow(/not JSON.*MNEMOLITE_URL/);
  });

  it('reads a degraded health answer (503 with the health body) as a result, not an error', async () => {
    const health = {
      status: 'degraded',
      version: '0.1.0',
      uptime_s: 1,
      database: { ok: false, engine: 'pglite', server_version: null, latency_ms: null, extensions: {}, error: 'timeout' },
    };
    const backend = createRestBackend({ url: 'http://api.test', fetch: fakeFetch(503, health) });
    await expect(backend.health()).resolves.toEqual(health);
  });
});
