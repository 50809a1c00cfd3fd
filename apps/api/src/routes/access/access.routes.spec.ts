import request from 'supertest';
import { AccessService } from '@mnemolite/access';
import { testEngineName } from '@mnemolite/db/testing';
import { createFullTestApp, type FullTestApp } from '../../testing/full-test-app';

const engine = testEngineName();
const BOOTSTRAP = 'bootstrap-admin-key-0123456789';

interface Operation {
  method: string;
  path: string;
  role?: string;
  open: boolean;
}

describe(`API keys over HTTP (${engine})`, () => {
  describe('open mode (no API_KEY, no key)', () => {
    let t: FullTestApp;
    beforeAll(async () => {
      t = await createFullTestApp();
    });
    afterAll(() => t.close());

    it('needs no key, says so in /health, and the first key created switches auth on at once', async () => {
      expect((await request(t.app).get('/health')).body.auth).toBe('open');
      expect((await request(t.app).get('/v1/events')).status).toBe(200);
      expect((await request(t.app).get('/metrics')).status).toBe(200);
      expect((await request(t.app).get('/v1/access/whoami').set('X-Namespace', 'team-x')).body).toEqual({
        auth: 'open',
        name: null,
        role: 'admin',
        namespaces: ['*'],
        namespace: 'team-x',
      });
      // A bad key is ignored while the service is open, as before keys existed.
      expect((await request(t.app).get('/v1/events').set('Authorization', 'Bearer nonsense')).status).toBe(200);

      const created = await request(t.app)
        .post('/v1/admin/keys')
        .send({ name: 'first', role: 'admin', namespaces: ['*'] });
      expect(created.status).toBe(201);
      expect((await request(t.app).get('/health')).body.auth).toBe('keys');
      expect((await request(t.app).get('/v1/events')).status).toBe(401);
      expect((await request(t.app).get('/metrics')).status).toBe(401);
      expect((await request(t.app).get('/v1/events').set('Authorization', `Bearer ${created.body.key}`)).status).toBe(200);
      // Revoking every key does not reopen the service.
      const revoked = await request(t.app).delete(`/v1/admin/keys/${created.body.id}`).set('X-API-Key', created.body.key);
      expect(revoked.status).toBe(204);
      expect((await request(t.app).get('/v1/events')).status).toBe(401);
      expect((await request(t.app).get('/health')).body.auth).toBe('keys');
      expect((await request(t.app).get('/readiness')).status).toBe(200);
    });
  });

  describe('open mode, a key written by another process', () => {
    let t: FullTestApp;
    beforeAll(async () => {
      t = await createFullTestApp();
    });
    afterAll(() => t.close());

    it(
      engine === 'postgres'
        ? 'switches auth on within a second (the keys CLI shares the server)'
        : 'is not looked for: no other process can open the embedded store while the API holds it',
      async () => {
        expect((await request(t.app).get('/v1/events')).status).toBe(200);
        // What the keys CLI does, on the same database (on PGlite it could not: the data directory is locked).
        await new AccessService({ db: t.database.db }).create({ name: 'cli', role: 'admin', namespaces: ['*'] });
        await new Promise((done) => setTimeout(done, 1_100));
        expect((await request(t.app).get('/v1/events')).status).toBe(engine === 'postgres' ? 401 : 200);
        expect((await request(t.app).get('/health')).body.auth).toBe(engine === 'postgres' ? 'keys' : 'open');
      },
    );
  });

  describe('with keys', () => {
    let t: FullTestApp;
    const keys: Record<string, { id: string; key: string }> = {};
    const as = (name: string) => ({ Authorization: `Bearer ${keys[name].key}` });
    const admin = { Authorization: `Bearer ${BOOTSTRAP}` };

    beforeAll(async () => {
      t = await createFullTestApp({ config: { apiKey: BOOTSTRAP, rateLimitPerMinute: 0 } });
      for (const [name, role, namespaces] of [
        ['reader', 'read', ['team-a']],
        ['writer', 'write', ['team-a']],
        ['multi', 'write', ['team-a', 'team-b']],
        ['team-admin', 'admin', ['team-a']],
      ] as const) {
        const res = await request(t.app).post('/v1/admin/keys').set(admin).send({ name, role, namespaces });
        expect(res.status).toBe(201);
        keys[name] = res.body;
      }
    });
    afterAll(() => t.close());

    it('answers 401 without a key or with an unknown one, naming the scheme', async () => {
      const none = await request(t.app).get('/v1/events');
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer');
      expect(none.body.error.code).toBe('unauthorized');
      for (const bad of ['Bearer mnl_' + 'A'.repeat(43), 'Bearer garbage', `Bearer ${keys['reader'].key}x`]) {
        const res = await request(t.app).get('/v1/events').set('Authorization', bad);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      }
      expect((await request(t.app).get('/health')).body.auth).toBe('keys');
    });

    it('creates a key shown once, and lists keys without secrets', async () => {
      const res = await request(t.app)
        .post('/v1/admin/keys')
        .set(admin)
        .send({ name: 'ci', role: 'write', namespaces: ['team-a'] });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(['created_at', 'id', 'key', 'name', 'namespaces', 'role']);
      expect(res.body).toMatchObject({ name: 'ci', role: 'write', namespaces: ['team-a'], key: expect.stringMatching(/^mnl_/) });
      const list = await request(t.app).get('/v1/admin/keys').set(admin);
      expect(list.status).toBe(200);
      const entry = list.body.find((key: { id: string }) => key.id === res.body.id);
      expect(Object.keys(entry).sort()).toEqual(['created_at', 'id', 'last_used_at', 'name', 'namespaces', 'revoked_at', 'role']);
      expect(JSON.stringify(list.body)).not.toContain(res.body.key);
      expect(JSON.stringify(list.body)).not.toContain(keys['reader'].key);
    });

    it('records when a key was last used', async () => {
      await request(t.app).get('/v1/events').set(as('reader'));
      const list = await request(t.app).get('/v1/admin/keys').set(admin);
      expect(list.body.find((key: { name: string }) => key.name === 'reader').last_used_at).toEqual(expect.any(String));
    });

    it('lets a read key read and search, and refuses its writes with 403', async () => {
      expect((await request(t.app).get('/v1/events').set(as('reader'))).status).toBe(200);
      expect((await request(t.app).post('/v1/search').set(as('reader')).send({ query: 'anything' })).status).toBe(200);
      const write = await request(t.app)
        .post('/v1/events')
        .set(as('reader'))
        .send({ content: { text: 'no' } });
      expect(write.status).toBe(403);
      expect(write.body.error).toMatchObject({ code: 'forbidden', details: { role: 'read', required_role: 'write' } });
      expect(write.body.error.message).toMatch(/"reader" has role read; this operation needs role write/);
      expect(
        (
          await request(t.app)
            .post('/v1/events')
            .set(as('writer'))
            .send({ content: { text: 'yes' } })
        ).status,
      ).toBe(201);
    });

    it('refuses admin operations to a write key', async () => {
      const res = await request(t.app).get('/v1/admin/keys').set(as('writer'));
      expect(res.status).toBe(403);
      expect(res.body.error.details).toEqual({ role: 'write', required_role: 'admin' });
    });

    it('confines a key to its namespaces: its only one by default, another is a 403 naming it', async () => {
      const whoami = await request(t.app).get('/v1/access/whoami').set(as('writer'));
      expect(whoami.body).toEqual({ auth: 'keys', name: 'writer', role: 'write', namespaces: ['team-a'], namespace: 'team-a' });
      const other = await request(t.app).get('/v1/events').set(as('writer')).set('X-Namespace', 'team-b');
      expect(other.status).toBe(403);
      expect(other.body.error).toMatchObject({ code: 'forbidden', details: { namespace: 'team-b', allowed: ['team-a'] } });
      expect(other.body.error.message).toContain('"team-b"');
      expect((await request(t.app).get('/v1/events').set(as('writer')).set('X-Namespace', 'team-a')).status).toBe(200);
      expect((await request(t.app).get('/v1/events').set(as('writer')).set('X-Namespace', 'bad name')).status).toBe(400);
      // Several namespaces and none named: routes needing no namespace still work.
      expect((await request(t.app).get('/v1/access/whoami').set(as('multi'))).body.namespace).toBeNull();
      expect((await request(t.app).get('/v1/access/whoami').set(as('multi')).set('X-Namespace', 'team-b')).body.namespace).toBe('team-b');
    });

    it('makes API_KEY an admin for every namespace', async () => {
      const whoami = await request(t.app).get('/v1/access/whoami').set(admin).set('X-Namespace', 'anything-at-all');
      expect(whoami.body).toEqual({ auth: 'keys', name: 'API_KEY', role: 'admin', namespaces: ['*'], namespace: 'anything-at-all' });
      expect((await request(t.app).get('/v1/events').set(admin).set('X-Namespace', 'zzz')).status).toBe(200);
      expect((await request(t.app).get('/metrics').set(admin)).status).toBe(200);
    });

    it('revokes a key at once', async () => {
      const created = await request(t.app)
        .post('/v1/admin/keys')
        .set(admin)
        .send({ name: 'leaked', role: 'read', namespaces: ['*'] });
      expect((await request(t.app).get('/v1/events').set('X-API-Key', created.body.key)).status).toBe(200);
      expect((await request(t.app).delete(`/v1/admin/keys/${created.body.id}`).set(admin)).status).toBe(204);
      const after = await request(t.app).get('/v1/events').set('X-API-Key', created.body.key);
      expect(after.status).toBe(401);
      expect(after.body.error.message).toMatch(/"leaked" has been revoked/);
      const listed = (await request(t.app).get('/v1/admin/keys').set(admin)).body.find((key: { id: string }) => key.id === created.body.id);
      expect(listed.revoked_at).toEqual(expect.any(String));
      expect((await request(t.app).delete(`/v1/admin/keys/${created.body.id}`).set(admin)).status).toBe(204);
    });

    it('rejects bad admin input with a 400 naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ name: 'x', role: 'owner', namespaces: ['a'] }, 'role'],
        [{ name: '', role: 'read', namespaces: ['a'] }, 'name'],
        [{ name: 'x', role: 'read', namespaces: ['no spaces'] }, 'namespaces.0'],
        [{ name: 'x', role: 'read', namespaces: [] }, 'namespaces'],
        [{ name: 'x', role: 'read' }, 'namespaces'],
        [{ name: 'x'.repeat(101), role: 'read', namespaces: ['a'] }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await request(t.app)
          .post('/v1/admin/keys')
          .set(admin)
          .send(body as object);
        expect(res.status).toBe(400);
        expect(res.body.error.details.map((issue: { path: string }) => issue.path)).toContain(field);
      }
      const badId = await request(t.app).delete('/v1/admin/keys/not-a-uuid').set(admin);
      expect(badId.status).toBe(400);
      expect(badId.body.error.details[0].path).toBe('id');
      expect((await request(t.app).delete('/v1/admin/keys/00000000-0000-4000-8000-000000000000').set(admin)).status).toBe(404);
    });

    it('lets an admin limited to a namespace manage only keys within it', async () => {
      const teamAdmin = as('team-admin');
      const denied = await request(t.app)
        .post('/v1/admin/keys')
        .set(teamAdmin)
        .send({ name: 'x', role: 'read', namespaces: ['team-b'] });
      expect(denied.status).toBe(403);
      expect(denied.body.error.details).toMatchObject({ field: 'namespaces', namespaces: ['team-b'] });
      const own = await request(t.app)
        .post('/v1/admin/keys')
        .set(teamAdmin)
        .send({ name: 'a-reader', role: 'read', namespaces: ['team-a'] });
      expect(own.status).toBe(201);
      const names = (await request(t.app).get('/v1/admin/keys').set(teamAdmin)).body.map((key: { name: string }) => key.name);
      expect(names).toContain('a-reader');
      expect(names).not.toContain('multi');
      expect((await request(t.app).delete(`/v1/admin/keys/${keys['multi'].id}`).set(teamAdmin)).status).toBe(404);
    });

    it('states a role for every documented operation, and enforces it: read keys cannot write, write keys cannot administer', async () => {
      const doc = (await request(t.app).get('/openapi.json')).body as { paths: Record<string, Record<string, Record<string, unknown>>> };
      const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          role: operation['x-required-role'] as string | undefined,
          open: Array.isArray(operation['security']) && (operation['security'] as unknown[]).length === 0,
        })),
      );
      expect(operations.length).toBeGreaterThan(25);
      // Swagger UI inlines the document: it must be plain JSON data (a zod schema there once broke it).
      const responses = doc.paths['/v1/events']['get']['responses'] as Record<string, { content: Record<string, { schema: unknown }> }>;
      expect(responses['429'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      expect(responses['403'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      expect(operations.filter((operation) => !operation.open && !operation.role)).toEqual([]);
      expect(
        operations
          .filter((operation) => operation.open)
          .map((operation) => operation.path)
          .sort(),
      ).toEqual(['/health', '/readiness']);
      const concrete = (path: string) => path.replace('{id}', '00000000-0000-4000-8000-000000000000').replace(/\{[^}]+\}/g, 'nothing-here');
      const send = (operation: Operation, key: string) => {
        const agent = request(t.app);
        const method = operation.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
        return agent[method](concrete(operation.path))
          .set('Authorization', `Bearer ${key}`)
          .set('Content-Type', 'application/json')
          .send(operation.method === 'GET' || operation.method === 'DELETE' ? undefined : '{}');
      };
      const counts: Record<string, number> = {};
      for (const operation of operations.filter((candidate) => candidate.role)) {
        counts[operation.role as string] = (counts[operation.role as string] ?? 0) + 1;
        const reader = await send(operation, keys['reader'].key);
        const writer = await send(operation, keys['writer'].key);
        const label = `${operation.method} ${operation.path} (${operation.role})`;
        if (operation.role === 'read') {
          expect([label, reader.status]).not.toEqual([label, 403]);
          expect([label, reader.status]).not.toEqual([label, 401]);
        } else {
          expect([label, reader.status]).toEqual([label, 403]);
          expect(reader.body.error.details.required_role).toBe(operation.role);
        }
        if (operation.role === 'admin') expect([label, writer.status]).toEqual([label, 403]);
        else expect([label, writer.status]).not.toEqual([label, 403]);
      }
      expect(counts['read']).toBeGreaterThan(10);
      expect(counts['write']).toBeGreaterThan(5);
      expect(counts['admin']).toBe(3);
    });
  });

  describe('rate limits', () => {
    let t: FullTestApp;
    beforeAll(async () => {
      t = await createFullTestApp({ config: { apiKey: BOOTSTRAP, rateLimitPerMinute: 3 } });
    });
    afterAll(() => t.close());

    it('answers 429 with Retry-After after the limit, per key, and counts the refusals', async () => {
      const admin = { Authorization: `Bearer ${BOOTSTRAP}` };
      const created = await request(t.app)
        .post('/v1/admin/keys')
        .set(admin)
        .send({ name: 'busy', role: 'read', namespaces: ['*'] });
      const busy = { Authorization: `Bearer ${created.body.key}` };
      for (let i = 0; i < 3; i++) expect((await request(t.app).get('/v1/events').set(busy)).status).toBe(200);
      const refused = await request(t.app).get('/v1/events').set(busy);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused.body.error).toMatchObject({ code: 'rate_limited', details: { limit_per_minute: 3 } });
      // One budget per key across the guarded surfaces.
      expect((await request(t.app).get('/metrics').set(busy)).status).toBe(429);
      // The bootstrap key has its own budget (one request spent creating the key).
      const metrics = await request(t.app).get('/metrics').set(admin);
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^mnemolite_rate_limited_total\{key="busy"\} 2$/m);
    });
  });
});
