import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import request from 'supertest';
import { createLogger } from '@mnemolite/common';
import { apiKeys, createDb, runMigrations, type DbHandle } from '@mnemolite/db';
import { testEngineName } from '@mnemolite/db/testing';
import type { Express } from 'express';
import { createApp } from '../app';
import { AppState } from '../lifecycle/app-state';
import { createMetrics } from '../metrics/metrics';

const CLI = join(__dirname, 'keys.ts');
const engine = testEngineName();

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the keys CLI as the operator would, in its own process. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', API_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function appOn(database: DbHandle): Express {
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  return createApp({
    config: { maxBodyBytes: 1024 * 1024 },
    logger: createLogger({ level: 'silent', name: 'api' }, silent),
    database,
    state: new AppState(null),
    metrics: createMetrics(),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`keys CLI (${engine})`, () => {
  let env: NodeJS.ProcessEnv;
  let open: () => Promise<DbHandle>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const serverUrl = process.env['TEST_DATABASE_URL'];
    if (serverUrl) {
      const name = `mnemolite_keys_cli_${randomBytes(6).toString('hex')}`;
      const admin = async (statement: string) => {
        const client = new Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(statement).finally(() => client.end());
      };
      await admin(`CREATE DATABASE ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      env = { DATABASE_URL: url.toString() };
      open = () => createDb({ engine: 'postgres', url: url.toString(), poolMax: 2 });
      cleanup = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'mnemolite-keys-cli-'));
      env = { MNEMO_DATA_DIR: join(dir, 'pgdata') };
      open = () => createDb({ engine: 'pglite', dataDir: join(dir, 'pgdata') });
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
  afterAll(() => cleanup());

  it('creates, lists and revokes keys with the same rules as the admin endpoint', async () => {
    const bad = await runCli(['create', '--name', ' ', '--role', 'owner', '--namespace', 'a b'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^--name: must not be empty$/m);
    expect(bad.stderr).toMatch(/^--role: /m);
    expect(bad.stderr).toMatch(/^--namespace #1: /m);
    expect((await runCli(['frobnicate'], env)).code).toBe(2);

    const created = await runCli(
      ['create', '--name', 'ci', '--role', 'write', '--namespace', 'team-a', '--namespace', 'team-b', '--json'],
      env,
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({ name: 'ci', role: 'write', namespaces: ['team-a', 'team-b'], key: expect.stringMatching(/^mnl_/) });

    const listed = await runCli(['list', '--json'], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: key.id, name: 'ci', revoked_at: null })]);
    expect(listed.stdout).not.toContain(key.key);

    expect((await runCli(['revoke', 'not-an-id'], env)).stderr).toMatch(/^ID: must be a UUID$/m);
    const unknown = await runCli(['revoke', '00000000-0000-4000-8000-000000000000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No API key with id/);
    const revoked = await runCli(['revoke', key.id], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked API key "ci"/);
    const table = (await runCli(['list'], env)).stdout;
    expect(table).toMatch(/^ID\s+NAME\s+ROLE\s+NAMESPACES\s+CREATED\s+LAST USED\s+REVOKED$/m);
    expect(table).toMatch(new RegExp(`^${key.id}\\s+ci\\s+write\\s+team-a,team-b\\s+\\S+\\s+-\\s+\\d{4}-`, 'm'));
  }, 120_000);

  if (engine === 'postgres') {
    it('switches a running API to keys when the first key is created, and revokes at once, without a restart', async () => {
      const database = await open();
      try {
        await runMigrations(database);
        // The previous test left a (revoked) key, which keeps auth on: start from no key at all.
        await database.db.delete(apiKeys);
        const app = appOn(database);
        expect((await request(app).get('/health')).body.auth).toBe('open');
        expect((await request(app).get('/v1/access/whoami')).status).toBe(200);
        const created = JSON.parse(
          (await runCli(['create', '--name', 'first', '--role', 'admin', '--namespace', '*', '--json'], env)).stdout,
        );
        await sleep(1_100);
        expect((await request(app).get('/health')).body.auth).toBe('keys');
        expect((await request(app).get('/v1/access/whoami')).status).toBe(401);
        expect((await request(app).get('/v1/access/whoami').set('Authorization', `Bearer ${created.key}`)).status).toBe(200);
        expect((await runCli(['revoke', created.id], env)).code).toBe(0);
        expect((await request(app).get('/v1/access/whoami').set('Authorization', `Bearer ${created.key}`)).status).toBe(401);
      } finally {
        await database.close();
      }
    }, 120_000);
  } else {
    it('refuses while the API holds the embedded database, pointing to the admin endpoint; its keys serve the API after', async () => {
      const created = JSON.parse((await runCli(['create', '--name', 'ops', '--role', 'admin', '--namespace', '*', '--json'], env)).stdout);
      const database = await open();
      try {
        const app = appOn(database);
        expect((await request(app).get('/health')).body.auth).toBe('keys');
        expect((await request(app).get('/v1/access/whoami')).status).toBe(401);
        expect((await request(app).get('/v1/admin/keys').set('Authorization', `Bearer ${created.key}`)).status).toBe(200);
        const locked = await runCli(['list'], env);
        expect(locked.code).toBe(3);
        expect(locked.stderr).toMatch(/in use by process/);
        expect(locked.stderr).toMatch(/\/v1\/admin\/keys/);
      } finally {
        await database.close();
      }
    }, 120_000);
  }
});
