import express from 'express';
import request from 'supertest';
import { AccessService } from '@mnemolite/access';
import { createTestDb, testEngineName, type TestDb } from '@mnemolite/db/testing';
import { authenticate } from './auth';
import { errorHandler } from './error-handler';
import { requestNamespace, scopeRequests } from './request-scope';

describe(`request scope with keys (${testEngineName()})`, () => {
  let database: TestDb;
  let app: express.Express;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDb();
    const access = new AccessService({ db: database.db });
    for (const [name, namespaces] of [
      ['one', ['team-a']],
      ['several', ['team-a', 'team-b']],
      ['with-default', ['team-a', 'default']],
      ['all', ['*']],
    ] as const) {
      keys[name] = (await access.create({ name, role: 'read', namespaces })).key;
    }
    app = express();
    app.use(
      authenticate(access, () => null),
      scopeRequests(),
    );
    app.get('/namespace', (_req, res) => {
      res.json({ namespace: requestNamespace(res) });
    });
    app.use(errorHandler);
  });
  afterAll(() => database.close());

  const ask = (key: string, namespace?: string) => {
    const req = request(app).get('/namespace').set('Authorization', `Bearer ${keys[key]}`);
    return namespace === undefined ? req : req.set('X-Namespace', namespace);
  };

  it('uses the named namespace when allowed, else the only one, else default', async () => {
    expect((await ask('one')).body).toEqual({ namespace: 'team-a' });
    expect((await ask('several', 'team-b')).body).toEqual({ namespace: 'team-b' });
    expect((await ask('with-default')).body).toEqual({ namespace: 'default' });
    expect((await ask('all')).body).toEqual({ namespace: 'default' });
    expect((await ask('all', 'x.y_z-1')).body).toEqual({ namespace: 'x.y_z-1' });
  });

  it('answers 403 naming a namespace the key may not use, 400 for a malformed one', async () => {
    const forbidden = await ask('one', 'team-b');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.details.namespace).toBe('team-b');
    const malformed = await ask('all', 'a/b');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.field).toBe('X-Namespace');
  });

  it('asks a key with several namespaces to name one, with a 400 naming the header', async () => {
    const res = await ask('several');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', details: { field: 'X-Namespace', allowed: ['team-a', 'team-b'] } });
  });
});
