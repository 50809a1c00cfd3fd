import { apiKeys } from '@mnemolite/db';
import { createTestDb, testEngineName, type TestDb } from '@mnemolite/db/testing';
import { eq } from 'drizzle-orm';
import { ZodError } from 'zod';
import { AccessService } from './access.service';
import { BOOTSTRAP_PRINCIPAL, chooseNamespace, type Principal } from './principal';
import { hashKey } from './secret';

describe(`AccessService (${testEngineName()})`, () => {
  let database: TestDb;
  let clock: number;
  let service: AccessService;

  beforeAll(async () => {
    database = await createTestDb();
  });
  afterAll(() => database.close());
  beforeEach(async () => {
    await database.db.delete(apiKeys);
    clock = 1_000_000;
    service = new AccessService({ db: database.db, now: () => clock });
  });

  it('is open until a key exists, and stays closed once one does, even revoked', async () => {
    expect(service.lastKnownMode()).toBe('unknown');
    expect(await service.authRequired()).toBe(false);
    expect(service.lastKnownMode()).toBe('open');
    const created = await service.create({ name: 'ci', role: 'write', namespaces: ['team-a'] });
    expect(await service.authRequired()).toBe(true);
    expect(service.lastKnownMode()).toBe('keys');
    await service.revoke(created.id);
    expect(await service.authRequired()).toBe(true);
  });

  it('notices a key created by another process within the recheck interval', async () => {
    expect(await service.authRequired()).toBe(false);
    await new AccessService({ db: database.db }).create({ name: 'cli', role: 'admin', namespaces: ['*'] });
    expect(await service.authRequired()).toBe(false);
    clock += 1_000;
    expect(await service.authRequired()).toBe(true);
  });

  it('is always closed with a bootstrap key, which is an admin for every namespace', async () => {
    const bootstrap = new AccessService({ db: database.db, bootstrapKey: 'bootstrap-secret-0123456789' });
    expect(await bootstrap.authRequired()).toBe(true);
    expect(await bootstrap.authenticate('bootstrap-secret-0123456789')).toEqual({ ok: true, principal: BOOTSTRAP_PRINCIPAL });
    expect(await bootstrap.authenticate('bootstrap-secret-012345678')).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('stores only the digest and shows the key once', async () => {
    const created = await service.create({ name: '  ci  ', role: 'read', namespaces: ['a', 'b', 'a'] });
    expect(created).toMatchObject({ name: 'ci', role: 'read', namespaces: ['a', 'b'] });
    expect(created.key).toMatch(/^mnl_[A-Za-z0-9_-]{43}$/);
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row.keyHash.equals(hashKey(created.key))).toBe(true);
    expect(JSON.stringify(row)).not.toContain(created.key.slice(4));
    const listed = await service.list();
    expect(listed).toEqual([
      {
        id: created.id,
        name: 'ci',
        role: 'read',
        namespaces: ['a', 'b'],
        created_at: created.created_at,
        last_used_at: null,
        revoked_at: null,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.key);
  });

  it('authenticates a key, refuses unknown and revoked ones at once', async () => {
    const created = await service.create({ name: 'ci', role: 'write', namespaces: ['team-a'] });
    expect(await service.authenticate(created.key)).toEqual({
      ok: true,
      principal: { kind: 'key', id: created.id, name: 'ci', role: 'write', namespaces: ['team-a'] },
    });
    expect(await service.authenticate(undefined)).toMatchObject({ ok: false, reason: 'missing' });
    expect(await service.authenticate('mnl_' + 'x'.repeat(43))).toMatchObject({ ok: false, reason: 'unknown' });
    expect(await service.authenticate('not a key')).toMatchObject({ ok: false, reason: 'unknown' });
    // Another process revokes it: no cache here outlives that.
    await new AccessService({ db: database.db }).revoke(created.id);
    expect(await service.authenticate(created.key)).toMatchObject({
      ok: false,
      reason: 'revoked',
      message: expect.stringContaining('"ci"'),
    });
  });

  it('writes last_used_at at most once a minute per key', async () => {
    const created = await service.create({ name: 'ci', role: 'read', namespaces: ['*'] });
    const lastUsed = async () => (await service.list())[0].last_used_at;
    await service.authenticate(created.key);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await database.db.update(apiKeys).set({ lastUsedAt: new Date('2020-01-01T00:00:00Z') });
    clock += 59_000;
    await service.authenticate(created.key);
    expect(await lastUsed()).toBe('2020-01-01T00:00:00.000Z');
    clock += 2_000;
    await service.authenticate(created.key);
    expect(await lastUsed()).not.toBe('2020-01-01T00:00:00.000Z');
  });

  it('revokes idempotently, keeping the first time, and 404s an unknown id', async () => {
    const created = await service.create({ name: 'ci', role: 'read', namespaces: ['*'] });
    const first = await service.revoke(created.id);
    expect(first.revoked_at).not.toBeNull();
    expect((await service.revoke(created.id.toUpperCase())).revoked_at).toBe(first.revoked_at);
    await expect(service.revoke('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.revoke('nope')).rejects.toBeInstanceOf(ZodError);
  });

  it('rejects bad input naming the field', async () => {
    const issues = async (input: unknown) => {
      try {
        await service.create(input);
      } catch (error) {
        return (error as ZodError).issues.map((issue) => issue.path.join('.'));
      }
      throw new Error('accepted');
    };
    expect(await issues({ name: 'x', role: 'owner', namespaces: ['a'] })).toEqual(['role']);
    expect(await issues({ name: '   ', role: 'read', namespaces: ['a'] })).toEqual(['name']);
    expect(await issues({ name: 'x', role: 'read', namespaces: [] })).toEqual(['namespaces']);
    expect(await issues({ name: 'x', role: 'read', namespaces: ['bad name'] })).toEqual(['namespaces.0']);
    expect(await issues({ name: 'x', role: 'read', namespaces: ['*', 'a'] })).toEqual(['namespaces']);
    expect(await issues({ name: 'x', role: 'read', namespaces: ['a'.repeat(65)] })).toEqual(['namespaces.0']);
    expect(await issues({ name: 'x\u0000', role: 'read', namespaces: ['a'] })).toEqual(['name']);
    expect(await issues({ name: 'x', role: 'read', namespaces: ['a'], extra: 1 })).toEqual(['']);
    expect(await issues({ role: 'read', namespaces: 'a' })).toEqual(['name', 'namespaces']);
  });

  it('lets an admin limited to some namespaces manage only keys within them', async () => {
    const admin: Principal = { kind: 'key', id: 'x', name: 'team-a admin', role: 'admin', namespaces: ['team-a', 'shared'] };
    const mine = await service.create({ name: 'a', role: 'read', namespaces: ['team-a'] }, admin);
    const theirs = await service.create({ name: 'b', role: 'read', namespaces: ['team-b'] });
    const everything = await service.create({ name: 'c', role: 'read', namespaces: ['*'] });
    await expect(service.create({ name: 'd', role: 'read', namespaces: ['team-a', 'team-b'] }, admin)).rejects.toMatchObject({
      code: 'forbidden',
      details: { field: 'namespaces', namespaces: ['team-b'] },
    });
    await expect(service.create({ name: 'e', role: 'read', namespaces: ['*'] }, admin)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await service.list(admin)).map((key) => key.name)).toEqual(['a']);
    await expect(service.revoke(theirs.id, admin)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.revoke(everything.id, admin)).rejects.toMatchObject({ code: 'not_found' });
    expect((await service.revoke(mine.id, admin)).revoked_at).not.toBeNull();
  });
});

describe('chooseNamespace', () => {
  const key = (namespaces: string[]): Principal => ({ kind: 'key', id: 'k', name: 'k', role: 'read', namespaces });

  it('takes the named namespace when the key may use it, else 403 naming it', () => {
    expect(chooseNamespace(key(['a', 'b']), 'b')).toBe('b');
    expect(chooseNamespace(key(['*']), 'anything')).toBe('anything');
    expect(() => chooseNamespace(key(['a']), 'b')).toThrow(
      expect.objectContaining({ code: 'forbidden', message: expect.stringContaining('"b"') }),
    );
  });

  it('defaults to the key\'s only namespace, else "default" when allowed, else asks for the header', () => {
    expect(chooseNamespace(key(['team-a']), undefined)).toBe('team-a');
    expect(chooseNamespace(key(['*']), undefined)).toBe('default');
    expect(chooseNamespace(key(['a', 'default']), undefined)).toBe('default');
    expect(() => chooseNamespace(key(['a', 'b']), undefined)).toThrow(
      expect.objectContaining({ code: 'validation_error', details: expect.objectContaining({ field: 'X-Namespace' }) }),
    );
  });
});
